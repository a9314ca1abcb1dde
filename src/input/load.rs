//! Loading rows into a [`Store`]: the contract's row checks in order — the id, then a duplicate
//! (on a load: the first valid row keeps an id; on an update: a row with a known id replaces
//! it), then the customer, then the other fields — one rejection per bad row.
//!
//! Rows of other tables that arrive before the `customers` table is complete wait for it, so
//! the tables may come in any order.

use super::check::{self, req_id, Checked, Texts};
use super::records::*;
use super::row::{slot, At, Row, Sink, Val, MAX_FIELDS};
use super::store::{Rejection, Store};
use super::strings::Str;
use crate::error::{quote, Error, Reason};
use std::borrow::Cow;

/// What a row with a known id does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A load: the first valid row keeps an id, later ones are duplicates.
    Load,
    /// An update (counted from 1): a row with a known id replaces that row.
    Upsert(u32),
}

/// A sink that checks rows into a store.
pub struct Loader<'s> {
    store: &'s mut Store,
    offset: i32,
    /// Whether an envelope's policy may set the offset (the caller gave none).
    pub follow_envelope: bool,
    mode: Mode,
    customers_done: bool,
    pending: Vec<(Table, At, Row<'static>)>,
    origin: [Vec<u32>; 8],
    /// A load's ids per table: (hash, slot) of accepted rows, in slot order.
    pairs: [Vec<(u64, Slot)>; 8],
    /// A load's rows rejected for another reason than their id: (hash, index, id).
    failed: [Vec<(u64, u32, Box<str>)>; 8],
    /// A load from CSV: the line of each accepted row, by slot.
    lines: [Vec<u32>; 8],
    first_rejection: usize,
    columns: [Option<u32>; MAX_FIELDS],
    /// The columns of each table read from CSV (for rejections found after the table).
    columns_of: [[Option<u32>; MAX_FIELDS]; 8],
    /// Customers whose rows an upsert changed (may repeat).
    pub changed: Vec<Slot>,
    /// Rows received per table.
    pub received: [usize; 8],
}

impl<'s> Loader<'s> {
    /// The offset plain dates are read at, in seconds.
    pub fn offset(&self) -> i32 {
        self.offset
    }

    /// A loader into `store`; plain dates are read at `offset` seconds.
    pub fn new(store: &'s mut Store, offset: i32, mode: Mode) -> Self {
        let first_rejection = store.rejected.len();
        Loader {
            store,
            offset,
            follow_envelope: false,
            mode,
            customers_done: mode != Mode::Load,
            pending: Vec::new(),
            origin: Default::default(),
            pairs: Default::default(),
            failed: Default::default(),
            lines: Default::default(),
            first_rejection,
            columns: [None; MAX_FIELDS],
            columns_of: [[None; MAX_FIELDS]; 8],
            changed: Vec::new(),
            received: [0; 8],
        }
    }

    /// Finish: rows still waiting for customers are checked, the rejections of this call are
    /// put in table then input order, and the store is indexed after a load.
    pub fn finish(mut self) -> Result<(), Error> {
        self.customers_done = true;
        self.flush();
        if self.store.data.strings.full() {
            return Err(Error::input("data", "too large: the text of the records exceeds 4 GiB"));
        }
        let tail = self.store.rejected.split_off(self.first_rejection);
        let mut tail = tail;
        crate::sort::sort_by(&mut tail, |a, b| (a.table, a.index).cmp(&(b.table, b.index)));
        self.store.rejected.extend(tail);
        if self.mode == Mode::Load {
            let kept = [Table::Orders, Table::Contacts, Table::Complaints, Table::Promises, Table::Feedback, Table::Deliveries, Table::Snoozes]
                .map(|t| self.dedupe(t));
            // Rows in customer order, then the id indexes over their new slots.
            let remap = self.store.arrange();
            for (k, (mut pairs, map)) in kept.into_iter().zip(remap).enumerate() {
                for p in pairs.iter_mut() {
                    p.1 = map[p.1 as usize];
                }
                pairs.retain(|p| p.1 != DEAD);
                self.store.ids[k + 1] = crate::input::ids::Ids::from_pairs(pairs);
            }
        }
        Ok(())
    }

    /// A load's duplicates, found after the table is read: of the rows sharing an id, the
    /// first that passed every other check keeps it; every later row with that id is rejected
    /// as a duplicate (whatever else it had), which is what checking row by row would give.
    fn dedupe(&mut self, table: Table) -> Vec<(u64, Slot)> {
        let t = table as usize;
        let pairs = std::mem::take(&mut self.pairs[t]);
        let failed = std::mem::take(&mut self.failed[t]);
        let mut ids = pairs.clone();
        crate::input::ids::sort_pairs(&mut ids);
        let dup_hash = ids.windows(2).any(|w| w[0].0 == w[1].0);
        drop(ids);
        let failed_hashes: crate::hash::IdSet<u64> = failed.iter().map(|f| f.0).collect();
        let touches = !failed.is_empty() && pairs.iter().any(|p| failed_hashes.contains(&p.0));
        if !dup_hash && !touches {
            return pairs;
        }
        // Rows of the hashes that occur more than once: (hash, index, accepted slot or none, id).
        let mut count: crate::hash::IdMap<u64, u32> = Default::default();
        for p in &pairs {
            *count.entry(p.0).or_default() += 1;
        }
        for f in &failed {
            *count.entry(f.0).or_default() += 1;
        }
        let d = &self.store.data;
        let mut group: Vec<(u64, u32, Option<Slot>, String)> = Vec::new();
        for p in &pairs {
            if count.get(&p.0).is_some_and(|n| *n > 1) {
                let id = d.row_id(table, p.1).unwrap_or("").to_owned();
                group.push((p.0, self.origin[t][p.1 as usize], Some(p.1), id));
            }
        }
        for f in failed.iter().filter(|f| count.get(&f.0).is_some_and(|n| *n > 1)) {
            group.push((f.0, f.1, None, f.2.to_string()));
        }
        crate::sort::sort_by(&mut group, |a, b| (&a.3, a.1).cmp(&(&b.3, b.1)));
        let mut dropped: Vec<Slot> = Vec::new();
        let mut k = 0;
        while k < group.len() {
            let end = k + group[k..].iter().take_while(|g| g.3 == group[k].3).count();
            if let Some(keep) = group[k..end].iter().position(|g| g.2.is_some()) {
                let first = group[k + keep].1 as usize;
                for g in &group[k + keep + 1..end] {
                    let reason = Reason::Duplicate { id: quote(&g.3), first };
                    let line = g.2.and_then(|s| self.lines[t].get(s as usize).copied()).filter(|l| *l > 0);
                    let rej = Rejection {
                        table,
                        index: g.1 as usize,
                        id: Some(g.3.clone()),
                        field: Some("id"),
                        code: reason.code(),
                        reason: reason.to_string(),
                        line,
                        column: slot(table, b"id").and_then(|k| self.columns_of[t][k]),
                        update: None,
                    };
                    match g.2 {
                        Some(slot) => {
                            dropped.push(slot);
                            self.insert_rejection(rej);
                        }
                        None => self.replace_rejection(rej),
                    }
                }
            }
            k = end;
        }
        for s in &dropped {
            self.store.data.kill(table, *s);
            self.store.free[t].push(*s);
        }
        let gone: crate::hash::IdSet<Slot> = dropped.into_iter().collect();
        pairs.into_iter().filter(|p| !gone.contains(&p.1)).collect()
    }

    // Rejections of a load are in (table, index) order.
    fn rejection_at(&self, table: Table, index: usize) -> Result<usize, usize> {
        let r = &self.store.rejected[self.first_rejection..];
        r.binary_search_by(|x| (x.table, x.index).cmp(&(table, index))).map(|k| k + self.first_rejection).map_err(|k| k + self.first_rejection)
    }

    fn insert_rejection(&mut self, rej: Rejection) {
        let at = match self.rejection_at(rej.table, rej.index) {
            Ok(k) | Err(k) => k,
        };
        self.store.rejected_count[rej.table as usize] += 1;
        self.store.rejected.insert(at, rej);
    }

    fn replace_rejection(&mut self, rej: Rejection) {
        if let Ok(k) = self.rejection_at(rej.table, rej.index) {
            let old = &mut self.store.rejected[k];
            let line = old.line;
            *old = Rejection { line, ..rej };
        }
    }

    fn flush(&mut self) {
        let pending = std::mem::take(&mut self.pending);
        for (t, at, row) in pending {
            self.accept(t, at, &row);
        }
    }

    fn update(&self) -> Option<u32> {
        match self.mode {
            Mode::Load => None,
            Mode::Upsert(n) => Some(n),
        }
    }

    fn reject(&mut self, table: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: Reason) {
        let column = field.and_then(|f| slot(table, f.as_bytes())).and_then(|s| self.columns[s]);
        let update = self.update();
        self.store.reject(Rejection {
            table,
            index: at.index,
            id,
            field,
            code: reason.code(),
            reason: reason.to_string(),
            line: at.line,
            column,
            update,
        });
    }

    fn resolve(&self, v: &Val) -> Checked<Slot> {
        let id: Cow<str> = match v {
            Val::Str(s) if !s.is_empty() => Cow::Borrowed(s.as_ref()),
            _ => req_id(v, "customerId")?,
        };
        match self.store.customer(&id) {
            Some(c) => Ok(c),
            None if self.store.rejected_customers.contains(id.as_ref()) => Err(("customerId", Reason::RejectedCustomer(quote(&id)))),
            None => Err(("customerId", Reason::UnknownCustomer(quote(&id)))),
        }
    }

    fn accept(&mut self, t: Table, at: At, row: &Row) {
        self.accept_resolved(t, at, row, None)
    }

    // `customer`: the row's customer, when already looked up.
    fn accept_resolved(&mut self, t: Table, at: At, row: &Row, customer: Option<Checked<Slot>>) {
        match t {
            Table::Customers => self.accept_customer(at, row),
            _ => self.accept_row(t, at, row, customer),
        }
    }

    fn note_failed(&mut self, t: Table, at: At, id: Option<&str>) {
        if let (Mode::Load, Some(id)) = (self.mode, id) {
            self.failed[t as usize].push((crate::input::ids::hash_id(id), at.index as u32, id.into()));
        }
    }

    fn accept_customer(&mut self, at: At, row: &Row) {
        let t = Table::Customers;
        let id = match req_id(row.get(0), "id") {
            Ok(id) => id,
            Err((f, r)) => return self.reject(t, at, None, Some(f), r),
        };
        let existing = self.store.customer(&id);
        if let (Some(s), Mode::Load) = (existing, self.mode) {
            let first = self.origin[0].get(s as usize).copied().unwrap_or(0) as usize;
            let id = id.into_owned();
            return self.reject(t, at, Some(id.clone()), Some("id"), Reason::Duplicate { id: quote(&id), first });
        }
        let mark = self.store.data.strings.len();
        let offset = self.offset;
        let st = &mut *self.store;
        let mut x = Texts { strings: &mut st.data.strings, owners: &mut st.data.owners, offset };
        match check::customer(row, &id, &mut x) {
            Err((f, r)) => {
                self.store.data.strings.truncate(mark);
                if existing.is_none() {
                    self.store.rejected_customers.insert(id.as_ref().into());
                }
                self.reject(t, at, Some(id.into_owned()), Some(f), r);
            }
            Ok(c) => {
                self.store.rejected_customers.remove(id.as_ref());
                match existing {
                    Some(s) => {
                        // An update replaces the customer's fields; its rows stay.
                        let old = &mut self.store.data.customers[s as usize];
                        let new_id = c.id;
                        *old = Customer { id: old.id, ..c };
                        self.store.data.strings.garbage += new_id.len();
                        let n = self.update().unwrap_or(0);
                        if let Some(o) = self.store.origin.get_mut(s as usize) {
                            *o = (at.index as u32, n);
                        }
                        self.changed.push(s);
                    }
                    None => {
                        let d = &mut self.store.data;
                        let s = match self.store.free[0].pop() {
                            Some(s) => {
                                d.customers[s as usize] = c;
                                s
                            }
                            None => {
                                d.customers.push(c);
                                (d.customers.len() - 1) as Slot
                            }
                        };
                        self.store.customer_ids.insert(s, &id);
                        if self.mode == Mode::Load {
                            self.origin[0].resize(s as usize + 1, 0);
                            self.origin[0][s as usize] = at.index as u32;
                        }
                        let n = self.update().unwrap_or(0);
                        let o = &mut self.store.origin;
                        if o.len() <= s as usize {
                            o.resize(s as usize + 1, (0, 0));
                        }
                        o[s as usize] = (at.index as u32, n);
                        self.changed.push(s);
                    }
                }
            }
        }
    }

    fn accept_row(&mut self, t: Table, at: At, row: &Row, customer: Option<Checked<Slot>>) {
        let k = t as usize;
        // Snoozes may come without an id: each such row stands alone.
        let id: Option<Cow<str>> = match (t, row.get(0)) {
            (Table::Snoozes, Val::Absent) => None,
            (_, v) => match req_id(v, "id") {
                Ok(id) => Some(id),
                Err((f, r)) => return self.reject(t, at, None, Some(f), r),
            },
        };
        // A load finds duplicates after the table is read (see `dedupe`); an update replaces
        // the row with the same id.
        let existing = match self.mode {
            Mode::Load => None,
            Mode::Upsert(_) => id.as_deref().and_then(|id| self.store.find_in(t, id)),
        };
        let owned_id = || id.as_deref().map(str::to_owned);
        let customer = match customer.unwrap_or_else(|| self.resolve(row.get(1))) {
            Ok(c) => c,
            Err((f, r)) => {
                self.note_failed(t, at, id.as_deref());
                return self.reject(t, at, owned_id(), Some(f), r);
            }
        };
        let mark = self.store.data.strings.len();
        let offset = self.offset;
        let st = &mut *self.store;
        let mut x = Texts { strings: &mut st.data.strings, owners: &mut st.data.owners, offset };
        let none = Str::default();
        let checked = match t {
            Table::Orders => check::order(row, none, customer, &mut x).map(Rec::Order),
            Table::Contacts => check::contact(row, none, customer, &mut x).map(Rec::Contact),
            Table::Complaints => check::complaint(row, none, customer, &mut x).map(Rec::Complaint),
            Table::Promises => check::promise(row, none, customer, &mut x).map(Rec::Promise),
            Table::Feedback => check::feedback(row, none, customer, &mut x).map(Rec::Feedback),
            Table::Deliveries => check::delivery(row, none, customer, &mut x).map(Rec::Delivery),
            _ => check::snooze(row, None, customer, &mut x).map(Rec::Snooze),
        };
        let mut rec = match checked {
            Ok(r) => r,
            Err((f, r)) => {
                self.store.data.strings.truncate(mark);
                self.note_failed(t, at, id.as_deref());
                return self.reject(t, at, owned_id(), Some(f), r);
            }
        };
        if let Some(s) = existing {
            if let Some(old) = self.store.remove_in(t, s) {
                self.changed.push(old);
            }
        }
        if let Some(id) = id.as_deref() {
            rec.set_id(self.store.data.strings.add(id));
        }
        if self.mode == Mode::Load {
            // Loading appends: the slot is the table's length, and the index is built at the end.
            let s = self.store.data.push(rec);
            if let Some(id) = id.as_deref() {
                self.pairs[k].push((crate::input::ids::hash_id(id), s));
            }
            self.origin[k].push(at.index as u32);
            if let Some(line) = at.line {
                self.lines[k].resize(s as usize, 0);
                self.lines[k].push(line);
            }
        } else {
            self.store.insert_rec(rec);
        }
        self.changed.push(customer);
    }
}

impl Sink for Loader<'_> {
    fn rows(&mut self, table: Table, rows: &[(At, Row<'_>)]) {
        if table == Table::Customers || !self.customers_done {
            for (at, row) in rows {
                self.row(table, *at, row);
            }
            return;
        }
        // The customers of the whole batch first: independent lookups overlap in memory,
        // where one lookup per row would wait for each in turn.
        self.received[table as usize] += rows.len();
        let resolved: Vec<Checked<Slot>> = rows.iter().map(|(_, r)| self.resolve(r.get(1))).collect();
        for ((at, row), c) in rows.iter().zip(resolved) {
            self.accept_resolved(table, *at, row, Some(c));
        }
    }

    fn row(&mut self, table: Table, at: At, row: &Row<'_>) {
        self.received[table as usize] += 1;
        if table == Table::Customers || self.customers_done {
            self.accept(table, at, row);
        } else {
            self.pending.push((table, at, row.clone().into_owned()));
        }
    }

    fn other(&mut self, table: Table, at: At, value: &Val<'_>) {
        self.received[table as usize] += 1;
        self.reject(table, at, None, None, Reason::NotAnObject(value.quoted()));
    }

    fn broken(&mut self, table: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: Reason) {
        self.received[table as usize] += 1;
        if let Some(id) = id.as_deref() {
            self.note_failed(table, at, Some(id));
        }
        self.reject(table, at, id, field, reason);
    }

    fn envelope_policy(&mut self, policy: &serde_json::Value) {
        if self.follow_envelope {
            if let Ok(p) = crate::policy::Policy::from_json(policy, "data.policy") {
                self.offset = p.offset_secs;
            }
        }
    }

    fn columns(&mut self, columns: [Option<u32>; MAX_FIELDS]) {
        self.columns = columns;
    }

    fn table_start(&mut self, table: Table, at_most: usize) {
        // Room up front, given back at the end: no copy of a growing table on every doubling.
        if self.mode == Mode::Load {
            let k = table as usize;
            let n = at_most.min(1 << 26);
            self.store.data.reserve(table, n);
            let _ = self.pairs[k].try_reserve(n);
            let _ = self.origin[k].try_reserve(n);
        }
    }

    fn table_end(&mut self, table: Table) {
        if self.mode == Mode::Load {
            let k = table as usize;
            self.store.data.reserve(table, 0);
            self.pairs[k].shrink_to_fit();
            self.origin[k].shrink_to_fit();
        }
        self.columns_of[table as usize] = self.columns;
        self.columns = [None; MAX_FIELDS];
        if table == Table::Customers && !self.customers_done {
            self.customers_done = true;
            self.flush();
        }
    }

    fn reset(&mut self) {
        *self.store = Store::default();
        self.pending.clear();
        self.origin = Default::default();
        self.pairs = Default::default();
        self.failed = Default::default();
        self.first_rejection = 0;
        self.received = [0; 8];
        self.changed.clear();
        self.customers_done = self.mode != Mode::Load;
    }
}
