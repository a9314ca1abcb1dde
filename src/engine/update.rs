//! Updates: rows upserted (a row with a known id replaces it) and removed (by id; removing a
//! customer removes its rows), then exactly the customers whose answers can change are scored
//! again — those whose rows changed, those whose tier moved because of them, and the referral
//! links of those whose word of mouth changed. The buying model is kept until `refit()`.

use super::{Engine, Entry};
use crate::error::{quote, Error, Reason};
use crate::input::check::id_text;
use crate::input::json::Removal;
use crate::input::load::{Loader, Mode};
use crate::input::records::*;
use crate::input::row::{At, Row, Sink, Val};
use crate::input::store::{Rejection, Store};
use crate::score::value;
use serde::Serialize;
use std::rc::Rc;

/// What an update did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UpdateResult {
    /// Ids of the customers whose answers changed (removed customers included), sorted.
    pub changed: Vec<String>,
    /// The rows this update rejected (the first 1,000), with the update's number in `update`.
    pub rejected: Vec<Rejection>,
    /// Rows this update rejected past the first 1,000 (counted, not listed).
    #[serde(rename = "rejectedOmitted")]
    pub rejected_omitted: usize,
}

fn remove_row<R: Record>(store: &mut Store, id: &str) -> Option<Slot> {
    let slot = store.find::<R>(id)?;
    store.remove::<R>(slot)
}

/// Remove customer slot `c` and every row of it.
fn remove_customer(store: &mut Store, c: Slot) {
    fn rows<R: Record>(store: &mut Store, c: usize) {
        for s in store.rows_of::<R>(c).to_vec() {
            store.remove::<R>(s);
        }
    }
    let k = c as usize;
    rows::<Order>(store, k);
    rows::<Contact>(store, k);
    rows::<Complaint>(store, k);
    rows::<Promise>(store, k);
    rows::<Feedback>(store, k);
    rows::<Delivery>(store, k);
    rows::<Snooze>(store, k);
    let id = store.data.s(store.data.customers[k].id).to_owned();
    store.customer_ids.remove(&id);
    store.data.customers[k].alive = false;
    store.free[0].push(c);
}

impl Engine {
    /// Apply an update given as JSON `{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`.
    /// Removals apply first, then upserts in order. A row that breaks the contract is rejected
    /// (and listed in the result and in `rejected()`); the rest is applied. The call fails only
    /// when the update itself cannot be read (then nothing changes).
    pub fn update_json(&mut self, bytes: &[u8]) -> Result<UpdateResult, Error> {
        // Read everything before changing anything: an update that cannot be read changes
        // nothing.
        let mut rows = Collect::default();
        let removals = crate::input::json::read_update(bytes, &mut rows)?;
        if removals.is_empty() && rows.rows.is_empty() && rows.others.is_empty() && rows.broken.is_empty() {
            return Ok(UpdateResult { changed: Vec::new(), rejected: Vec::new(), rejected_omitted: 0 });
        }
        let number = self.updates + 1;
        let offset = self.options.policy.offset_secs;
        // The instants of the orders this update touches, as they are before it.
        let order_ids = super::tiers::order_ids(&removals, rows.rows.iter().map(|r| (r.0, &r.2)));
        let mut touched = self.order_instants(&order_ids, &removals);
        let store = Rc::make_mut(&mut self.store);
        store.update_rejected.clear();
        store.update_rejected_count = 0;
        let mut changed: Vec<Slot> = Vec::new();
        let mut relink = false;
        for r in &removals {
            let id = match id_text(&r.id) {
                Some(id) => id.into_owned(),
                None => {
                    reject(store, r, None, Reason::InvalidId(r.id.quoted()), number);
                    continue;
                }
            };
            let hit = match r.table {
                Table::Customers => store.customer(&id).inspect(|c| {
                    remove_customer(store, *c);
                    relink = true;
                }),
                Table::Orders => remove_row::<Order>(store, &id),
                Table::Contacts => remove_row::<Contact>(store, &id),
                Table::Complaints => remove_row::<Complaint>(store, &id),
                Table::Promises => remove_row::<Promise>(store, &id),
                Table::Feedback => remove_row::<Feedback>(store, &id),
                Table::Deliveries => remove_row::<Delivery>(store, &id),
                Table::Snoozes => remove_row::<Snooze>(store, &id),
            };
            match hit {
                Some(c) => changed.push(c),
                None => reject(store, r, Some(id.clone()), Reason::NotFound(quote(&id)), number),
            }
        }
        let mut loader = Loader::new(store, offset, Mode::Upsert(number));
        // Customers first, so that rows of a customer added by the same update find it.
        for (t, at, row) in rows.rows.iter().filter(|r| r.0 == Table::Customers) {
            loader.row(*t, *at, row);
        }
        for (t, at, row) in rows.rows.iter().filter(|r| r.0 != Table::Customers) {
            loader.row(*t, *at, row);
        }
        for (t, at, v) in &rows.others {
            loader.other(*t, *at, v);
        }
        for (t, at, id, field, reason) in rows.broken {
            loader.broken(t, at, id, field, reason);
        }
        relink |= rows.rows.iter().any(|(t, _, _)| *t == Table::Customers);
        changed.append(&mut loader.changed);
        loader.finish()?;
        // A table that was not recorded and now has rows is recorded: its rules apply to every
        // customer from now on (as in a fresh load of the records).
        let mut recorded = false;
        for t in Table::ALL {
            if !store.present[*t as usize] && store.live(*t) > 0 {
                store.present[*t as usize] = true;
                recorded = true;
            }
        }
        if recorded {
            changed.extend(store.data.customers.iter().enumerate().filter(|(_, c)| c.alive).map(|(k, _)| k as Slot));
        }
        let rejected = std::mem::take(&mut store.update_rejected);
        let rejected_omitted = store.update_rejected_count - rejected.len();
        self.updates = number;
        self.models.updates_since_fit += 1;
        // ... and after it: the past tiers whose revenue window holds one are built again.
        touched.extend(self.order_instants(&order_ids, &[]));
        let dropped = self.drop_cuts(&touched);
        let ids = self.refresh(changed, relink);
        self.past_tiers_moved(dropped);
        Ok(UpdateResult { changed: ids, rejected, rejected_omitted })
    }

    /// Score again after the customers in `changed` had rows changed; returns the ids of every
    /// customer scored again, sorted.
    fn refresh(&mut self, mut changed: Vec<Slot>, relink: bool) -> Vec<String> {
        let n = self.store.slots();
        if self.entries.len() < n {
            self.entries.resize(n, Entry::dead());
        }
        crate::sort::sort_u32(&mut changed);
        changed.dedup();
        *self.drivers.borrow_mut() = None;
        let as_of = self.options.as_of;
        // Own figures, tiers and RFM scales first: they decide who else is scored again.
        let mut again: Vec<Slot> = changed.clone();
        let policy = self.options.policy.clone();
        for &c in &changed {
            let k = c as usize;
            let alive = self.store.data.customers[k].alive;
            let old = self.entries[k].clone();
            let (own, own_then) = if alive {
                let (now, past) = (self.ctx(as_of), self.ctx(self.then));
                (value::own(&now.view(k)), value::own(&past.view(k)))
            } else {
                (value::Own::default(), value::Own::default())
            };
            let d = &self.store.data;
            let id = |s: u32| d.customer_id(s as usize);
            let old_rev = if old.alive { old.own.revenue12m } else { 0.0 };
            let old_rev_then = if old.alive { old.own_then.revenue12m } else { 0.0 };
            again.extend(self.now_rank.update(c, old_rev, own.revenue12m, &id, &policy));
            again.extend(self.then_rank.update(c, old_rev_then, own_then.revenue12m, &id, &policy));
            if old.alive {
                if let Some(key) = value::rfm_key(&old.own, as_of) {
                    self.scales.remove(key);
                }
            }
            if alive {
                if let Some(key) = value::rfm_key(&own, as_of) {
                    self.scales.add(key);
                }
            }
            // `alive` is left to the re-scoring, which also takes the customer out of the
            // worklist order by its old state.
            let e = &mut self.entries[k];
            e.own = own;
            e.own_then = own_then;
        }
        if relink {
            // Customers whose referral links changed: their `referredBy` and word of mouth.
            let before = std::mem::take(&mut self.links);
            self.link();
            for (c, now) in self.links.iter().enumerate() {
                if before.get(c) != Some(now) {
                    again.push(c as Slot);
                }
            }
        }
        crate::sort::sort_u32(&mut again);
        again.dedup();
        let mut exposes_changed: Vec<Slot> = Vec::new();
        let mut rescored = again.clone();
        for &c in &again {
            let before = self.entries[c as usize].exposes();
            self.rescore_in_order(c);
            if before != self.entries[c as usize].exposes() {
                exposes_changed.push(c);
            }
        }
        // Word of mouth: links whose count of unhappy or high-risk neighbours moved.
        let mut near: Vec<Slot> = if relink {
            (0..n as Slot).filter(|c| self.entries[*c as usize].alive).collect()
        } else {
            exposes_changed.iter().flat_map(|c| self.links.get(*c as usize).cloned().unwrap_or_default()).collect()
        };
        crate::sort::sort_u32(&mut near);
        near.dedup();
        for c in near {
            let e = &self.entries[c as usize];
            if e.alive && self.exposure_count(c as usize) != e.exposure as usize {
                self.rescore_in_order(c);
                rescored.push(c);
            }
        }
        if relink {
            self.cache.borrow_mut().clear();
        } else {
            self.cache.borrow_mut().clear_lists();
        }
        crate::sort::sort_u32(&mut rescored);
        rescored.dedup();
        let d = &self.store.data;
        let mut ids: Vec<String> = rescored.iter().map(|c| d.customer_id(*c as usize).to_owned()).collect();
        crate::sort::sort_strings(&mut ids);
        ids.dedup();
        ids
    }

    /// Score customer `c` again and move it in the worklist order.
    fn rescore_in_order(&mut self, c: Slot) {
        let k = c as usize;
        let old = &self.entries[k];
        if old.alive && !old.actions.is_empty() {
            let p = old.priority;
            let en = &self.entries;
            let lo = self.order.partition_point(|x| en[*x as usize].priority > p);
            if let Some(at) = self.order[lo..].iter().take_while(|x| en[**x as usize].priority == p).position(|x| *x == c) {
                self.order.remove(lo + at);
            } else if let Some(at) = self.order.iter().position(|x| *x == c) {
                self.order.remove(at);
            }
        }
        self.rescore(k);
        let e = &self.entries[k];
        if e.alive && !e.actions.is_empty() {
            let d = &self.store.data;
            let en = &self.entries;
            let (p, id) = (e.priority, d.customer_id(k));
            let at = self.order.partition_point(|x| {
                let o = &en[*x as usize];
                o.priority > p || (o.priority == p && d.customer_id(*x as usize) < id)
            });
            self.order.insert(at, c);
        }
    }
}

/// The rows of an update, read before anything changes.
#[derive(Default)]
struct Collect {
    rows: Vec<(Table, At, Row<'static>)>,
    others: Vec<(Table, At, Val<'static>)>,
    broken: Vec<Broken>,
}

/// A row that could not be read: its table, place, id when readable, field at fault, reason.
type Broken = (Table, At, Option<String>, Option<&'static str>, Reason);

impl Sink for Collect {
    fn row(&mut self, table: Table, at: At, row: &Row<'_>) {
        self.rows.push((table, at, row.clone().into_owned()));
    }
    fn other(&mut self, table: Table, at: At, value: &Val<'_>) {
        self.others.push((table, at, value.clone().into_owned()));
    }
    fn broken(&mut self, table: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: Reason) {
        self.broken.push((table, at, id, field, reason));
    }
    fn table_end(&mut self, _: Table) {}
    fn reset(&mut self) {
        self.rows.clear();
        self.others.clear();
        self.broken.clear();
    }
}

fn reject(store: &mut Store, r: &Removal, id: Option<String>, reason: Reason, update: u32) {
    store.reject(Rejection {
        table: r.table,
        index: r.index,
        id,
        field: Some("id"),
        code: reason.code(),
        reason: reason.to_string(),
        line: None,
        column: None,
        update: Some(update),
    });
}
