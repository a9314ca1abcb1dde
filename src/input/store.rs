//! The record store: the accepted records, their id indexes, each customer's rows in time
//! order, and every rejected row. Loading fills it ([`crate::input::load`]); an engine's
//! updates change it row by row.

use super::by_customer::{self, Lists};
use crate::hash::IdSet;
use super::ids::{hash_id, Ids};
use super::key_table::KeyTable;
use super::records::*;
use crate::time::Instant;
use serde::Serialize;

/// Rejected rows listed with their reasons; the rest are counted per table and code, so that
/// 20 million junk rows cost counts, not 20 million messages.
pub const MAX_LISTED: usize = 1000;

/// Rejections counted per (table, code), table by table (a table's codes in the order first
/// seen); written as
/// `{ table: { code: n } }`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RejectedByCode(pub Vec<(u8, &'static str, usize)>);

impl Serialize for RejectedByCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        struct Codes<'a>(&'a [(u8, &'static str, usize)]);
        impl Serialize for Codes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut m = s.serialize_map(Some(self.0.len()))?;
                for (_, code, n) in self.0 {
                    m.serialize_entry(code, n)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(None)?;
        for run in self.0.chunk_by(|a, b| a.0 == b.0) {
            m.serialize_entry(Table::ALL[run[0].0 as usize].as_str(), &Codes(run))?;
        }
        m.end()
    }
}

/// A rejected row (or, in `warnings`, a kept row with one field ignored).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rejection {
    /// The table.
    pub table: Table,
    /// The row's position in its table (for an update, in the update's list), from 0.
    pub index: usize,
    /// The row's id when it could be read.
    pub id: Option<String>,
    /// The offending field as named in the contract, `null` when the row is not an object.
    pub field: Option<&'static str>,
    /// A stable code for the reason (`missing`, `invalid_date`, `unknown_customer`, …).
    pub code: &'static str,
    /// A lowercase explanation quoting the bad value.
    pub reason: String,
    /// The line of the CSV file, for rows read from CSV.
    pub line: Option<u32>,
    /// The column (from 1) of the offending cell, for rows read from CSV.
    pub column: Option<u32>,
    /// The engine update that brought the row (counted from 1), `null` for the load.
    pub update: Option<u32>,
}

/// The store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Store {
    /// The records.
    pub data: Dataset,
    /// Id indexes, in [`Table::ALL`] order (snoozes: those with an id; customers: see
    /// `customer_ids`).
    pub ids: [Ids; 8],
    /// Each customer's rows of the other tables, in [`Table::ALL`] order from `orders`.
    pub by: [Lists; 7],
    /// Ids of customer rows that were rejected (their rows say so instead of "unknown").
    pub rejected_customers: IdSet<Box<str>>,
    /// The first [`MAX_LISTED`] rejected rows, in table then input order for the load, then in
    /// update order (the rest are counted: `rejected_count`, `rejected_codes`).
    pub rejected: Vec<Rejection>,
    /// Rejected rows per table.
    pub rejected_count: [usize; 8],
    /// Rejected rows per (table, code), in the order first seen (a few dozen at most).
    pub rejected_codes: Vec<(u8, &'static str, usize)>,
    /// The first [`MAX_LISTED`] rows the current update rejected (cleared when one starts).
    pub update_rejected: Vec<Rejection>,
    /// Rows the current update rejected.
    pub update_rejected_count: usize,
    /// Tables present in the input (an absent table is "not recorded"; empty is "none").
    pub present: [bool; 8],
    /// Free slots per table (removed rows), reused by later rows.
    pub free: [Vec<Slot>; 8],
    /// Per customer slot, the row's index in the input that brought it and that input's update
    /// number (0: the load), for its warnings.
    pub origin: Vec<(u32, u32)>,
    /// Customer ids again, packed together: every row's `customerId` is checked against them,
    /// and a compact copy keeps those checks in cache.
    pub customer_ids: CustomerIds,
}

/// The customers' id index: ids held in the table's buckets (see [`KeyTable`]), long ones
/// checked against a packed copy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerIds {
    table: KeyTable,
    text: crate::input::strings::Strings,
    spans: Vec<crate::input::strings::Str>,
}

impl CustomerIds {
    fn text_of(&self, s: Slot) -> &str {
        self.spans.get(s as usize).map_or("", |x| self.text.get(*x))
    }

    /// The slot of a customer id.
    pub fn get(&self, id: &str) -> Option<Slot> {
        self.table.get(id, hash_id(id), &|s| self.text_of(s))
    }

    /// Add customer slot `s` with its id.
    pub fn insert(&mut self, s: Slot, id: &str) {
        let k = s as usize;
        if self.spans.len() <= k {
            self.spans.resize(k + 1, Default::default());
        }
        if id.len() > 19 {
            self.spans[k] = self.text.add(id);
        }
        self.table.insert(id, hash_id(id), s);
    }

    /// Remove a customer id; returns its slot.
    pub fn remove(&mut self, id: &str) -> Option<Slot> {
        let (table, text, spans) = (&mut self.table, &self.text, &self.spans);
        table.remove(id, hash_id(id), &|s| spans.get(s as usize).map_or("", |x| text.get(*x)))
    }
}

impl Store {
    /// The slot of a customer id.
    pub fn customer(&self, id: &str) -> Option<Slot> {
        self.customer_ids.get(id)
    }

    /// The slot of a row's id in table `R`.
    pub fn find<R: Record>(&self, id: &str) -> Option<Slot> {
        let d = &self.data;
        self.ids[R::TABLE as usize].get(id, |s| R::rows(d).get(s as usize).and_then(R::id).map_or("", |x| d.s(x)))
    }

    /// Customer `c`'s rows of table `R`, oldest first.
    pub fn rows_of<R: Record>(&self, c: usize) -> &[Slot] {
        self.by[R::TABLE as usize - 1].of(c)
    }

    /// The slot of a row's id in table `t` (not `customers`).
    pub fn find_in(&self, t: Table, id: &str) -> Option<Slot> {
        match t {
            Table::Customers => self.customer(id),
            Table::Orders => self.find::<Order>(id),
            Table::Contacts => self.find::<Contact>(id),
            Table::Complaints => self.find::<Complaint>(id),
            Table::Promises => self.find::<Promise>(id),
            Table::Feedback => self.find::<Feedback>(id),
            Table::Deliveries => self.find::<Delivery>(id),
            Table::Snoozes => self.find::<Snooze>(id),
        }
    }

    /// Remove the row in `slot` of table `t` (not `customers`); returns its customer.
    pub fn remove_in(&mut self, t: Table, slot: Slot) -> Option<Slot> {
        match t {
            Table::Customers => None,
            Table::Orders => self.remove::<Order>(slot),
            Table::Contacts => self.remove::<Contact>(slot),
            Table::Complaints => self.remove::<Complaint>(slot),
            Table::Promises => self.remove::<Promise>(slot),
            Table::Feedback => self.remove::<Feedback>(slot),
            Table::Deliveries => self.remove::<Delivery>(slot),
            Table::Snoozes => self.remove::<Snooze>(slot),
        }
    }

    /// Add a record and index it (an update); returns its slot.
    pub fn insert_rec(&mut self, rec: Rec) -> Slot {
        match rec {
            Rec::Order(r) => self.insert(r),
            Rec::Contact(r) => self.insert(r),
            Rec::Complaint(r) => self.insert(r),
            Rec::Promise(r) => self.insert(r),
            Rec::Feedback(r) => self.insert(r),
            Rec::Delivery(r) => self.insert(r),
            Rec::Snooze(r) => self.insert(r),
        }
    }

    /// Live rows of a table.
    pub fn live(&self, t: Table) -> usize {
        match t {
            Table::Customers => self.data.customers.iter().filter(|c| c.alive).count(),
            _ => self.by[t as usize - 1].total(),
        }
    }

    /// Customer slots (alive or not).
    pub fn slots(&self) -> usize {
        self.data.customers.len()
    }

    /// Arrange every table in customer order and index it (after a load); returns, per table
    /// in [`Table::ALL`] order from `orders`, the new slot of each old slot.
    pub fn arrange(&mut self) -> [Vec<Slot>; 7] {
        let n = self.data.customers.len();
        let d = &mut self.data;
        let (l0, m0) = by_customer::arrange::<Order>(d, n);
        let (l1, m1) = by_customer::arrange::<Contact>(d, n);
        let (l2, m2) = by_customer::arrange::<Complaint>(d, n);
        let (l3, m3) = by_customer::arrange::<Promise>(d, n);
        let (l4, m4) = by_customer::arrange::<Feedback>(d, n);
        let (l5, m5) = by_customer::arrange::<Delivery>(d, n);
        let (l6, m6) = by_customer::arrange::<Snooze>(d, n);
        self.by = [l0, l1, l2, l3, l4, l5, l6];
        for f in self.free.iter_mut().skip(1) {
            f.clear();
        }
        [m0, m1, m2, m3, m4, m5, m6]
    }

    /// Build every customer's lists from the tables as they are.
    pub fn index(&mut self) {
        let n = self.data.customers.len();
        let d = &self.data;
        self.by = [
            by_customer::build::<Order>(d, n),
            by_customer::build::<Contact>(d, n),
            by_customer::build::<Complaint>(d, n),
            by_customer::build::<Promise>(d, n),
            by_customer::build::<Feedback>(d, n),
            by_customer::build::<Delivery>(d, n),
            by_customer::build::<Snooze>(d, n),
        ];
    }

    /// Add a record (its id already in the arena) and index it; returns its slot.
    pub fn insert<R: Record>(&mut self, rec: R) -> Slot {
        let t = R::TABLE as usize;
        let c = rec.customer() as usize;
        let slot = match self.free[t].pop() {
            Some(s) => {
                R::rows_mut(&mut self.data)[s as usize] = rec;
                s
            }
            None => {
                R::rows_mut(&mut self.data).push(rec);
                (R::rows(&self.data).len() - 1) as Slot
            }
        };
        let d = &self.data;
        if let Some(id) = R::rows(d)[slot as usize].id() {
            let text = d.s(id);
            self.ids[t].insert(text, slot, |s| R::rows(d).get(s as usize).and_then(R::id).map_or("", |x| d.s(x)));
        }
        let list = &mut self.by[t - 1];
        list.grow(c + 1);
        let pos = by_customer::position::<R>(list.of(c), d, slot);
        list.insert(c, pos, slot);
        slot
    }

    /// Remove the record in `slot`; returns its customer.
    pub fn remove<R: Record>(&mut self, slot: Slot) -> Option<Slot> {
        let t = R::TABLE as usize;
        let rec = R::rows(&self.data).get(slot as usize)?;
        let c = rec.customer();
        if c == DEAD {
            return None;
        }
        let d = &self.data;
        if let Some(id) = rec.id() {
            let text = d.s(id);
            self.ids[t].remove(text, |s| R::rows(d).get(s as usize).and_then(R::id).map_or("", |x| d.s(x)));
            self.data.strings.garbage += text.len();
        }
        self.by[t - 1].remove(c as usize, slot);
        if let Some(r) = R::rows_mut(&mut self.data).get_mut(slot as usize) {
            r.kill();
        }
        self.free[t].push(slot);
        Some(c)
    }

    /// Rows of customer `c` in table `R` known at `t` (key time at or before it).
    pub fn known<R: Record>(&self, c: usize, t: Instant) -> &[Slot] {
        let list = self.rows_of::<R>(c);
        &list[..by_customer::known(list, R::rows(&self.data), t)]
    }

    /// Record a rejection: counted always, listed while fewer than [`MAX_LISTED`] are (the
    /// load's and the updates' together; an update's own list too).
    pub fn reject(&mut self, r: Rejection) {
        self.rejected_count[r.table as usize] += 1;
        let key = (r.table as u8, r.code);
        match self.rejected_codes.iter_mut().find(|c| (c.0, c.1) == key) {
            Some(c) => c.2 += 1,
            None => self.rejected_codes.push((key.0, key.1, 1)),
        }
        if r.update.is_some() {
            self.update_rejected_count += 1;
            if self.update_rejected.len() < MAX_LISTED {
                self.update_rejected.push(r.clone());
            }
        }
        if self.rejected.len() < MAX_LISTED {
            self.rejected.push(r);
        }
    }

    /// Rejected rows in all.
    pub fn rejected_total(&self) -> usize {
        self.rejected_count.iter().sum()
    }

    /// Rejected rows per table and code, as reported (`{ table: { code: n } }`).
    pub fn rejected_by_code(&self) -> RejectedByCode {
        // Table by table; a table's codes in the order first seen.
        RejectedByCode((0..8u8).flat_map(|t| self.rejected_codes.iter().filter(move |c| c.0 == t).copied()).collect())
    }
}
