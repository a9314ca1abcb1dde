//! The tiers of past instants, for histories and state changes: every customer's trailing
//! revenue at each instant asked (the orders of its window, summed in time order as
//! `value::own` sums them), ranked into a [`TierCut`]. Built in batches and kept until an
//! update touches an order inside an instant's revenue window (a new sale of today moves no
//! past tier); when that moves the tiers of the state changes' instants, every watched
//! customer's past states are computed again.

use super::Engine;
use crate::input::check::id_text;
use crate::input::json::Removal;
use crate::input::records::{Order, Table};
use crate::input::row::Row;
use crate::score::cut::TierCut;
use crate::time::{Instant, DAY_MS};
use std::rc::Rc;

/// The ids of the orders an update upserts or removes.
pub(super) fn order_ids<'r>(removals: &[Removal], upserts: impl Iterator<Item = (Table, &'r Row<'static>)>) -> Vec<String> {
    let slot = crate::input::row::slot(Table::Orders, b"id");
    let removed = removals.iter().filter(|r| r.table == Table::Orders).filter_map(|r| id_text(&r.id));
    let upserted = upserts.filter(|r| r.0 == Table::Orders).filter_map(|r| slot.and_then(|s| id_text(r.1.get(s))));
    removed.chain(upserted).map(|c| c.into_owned()).collect()
}

/// Cuts kept at most (the instants of the longest history twice over, and the state changes').
pub const MAX_CUTS: usize = 2 * (super::history::MAX_WEEKS as usize + 1) + 8;

/// Rank keys held at once (8 bytes each): instants ranked per pass over the customers'
/// orders are as many as fit, from 4 to 64 (64 for 100,000 customers, about 50 MB).
const KEYS_HELD: usize = 6_400_000;

/// The rank key of a customer without revenue (a key of a positive revenue never is).
const NONE: u64 = u64::MAX;

/// The (key, slot) pairs of the customers with revenue, sorted: from the keys alone, or from
/// the instant before's (its keys and its sorted pairs) — the pairs whose key did not move keep
/// their order, the others are sorted and merged in.
fn ranked(now: &[u64], prev: Option<&(Vec<u64>, Vec<(u64, u32)>)>) -> Vec<(u64, u32)> {
    let Some((before, sorted)) = prev.filter(|p| p.0.len() == now.len()) else {
        let mut v: Vec<(u64, u32)> = (0..now.len()).filter(|c| now[*c] != NONE).map(|c| (now[c], c as u32)).collect();
        crate::sort::radix_pairs(&mut v);
        return v;
    };
    let mut moved: Vec<(u64, u32)> = (0..now.len()).filter(|c| now[*c] != NONE && now[*c] != before[*c]).map(|c| (now[c], c as u32)).collect();
    crate::sort::radix_pairs(&mut moved);
    let kept = sorted.iter().filter(|p| now[p.1 as usize] == p.0);
    let mut out = Vec::with_capacity(moved.len() + sorted.len());
    let mut m = moved.into_iter().peekable();
    for p in kept {
        while let Some(q) = m.next_if(|q| q < p) {
            out.push(q);
        }
        out.push(*p);
    }
    out.extend(m);
    out
}

impl Engine {
    /// The cut at `t` (built when missing).
    pub(super) fn cut(&self, t: Instant) -> Rc<TierCut> {
        self.cuts_for(&[t]);
        self.cuts.borrow().iter().find(|x| x.0 == t).map(|x| Rc::clone(&x.1)).unwrap_or_default()
    }

    /// The instants of the orders with these ids, and of every order of the customers these
    /// removals remove, as the store holds them now.
    pub(super) fn order_instants(&self, ids: &[String], removals: &[Removal]) -> Vec<Instant> {
        let d = &self.store.data;
        let mut out: Vec<Instant> = ids.iter().filter_map(|id| self.store.find::<Order>(id)).map(|s| d.orders[s as usize].at).collect();
        for r in removals.iter().filter(|r| r.table == Table::Customers) {
            if let Some(c) = id_text(&r.id).and_then(|id| self.store.customer(&id)) {
                out.extend(self.store.rows_of::<Order>(c as usize).iter().map(|o| d.orders[*o as usize].at));
            }
        }
        out
    }

    /// Drop the cuts whose revenue window (365 days up to the instant) holds one of `touched`;
    /// returns those of the state changes' instants, as they were.
    pub(super) fn drop_cuts(&self, touched: &[Instant]) -> Vec<(Instant, Rc<TierCut>)> {
        if touched.is_empty() {
            return Vec::new();
        }
        let mut t = touched.to_vec();
        crate::sort::sort_i64(&mut t);
        let hit = |at: Instant| {
            // Is there a touched instant in (at − 365 days, at]?
            let k = t.partition_point(|x| *x <= at);
            k > 0 && t[k - 1] > at - 365 * DAY_MS
        };
        let watched = super::changes::instants(self.options.as_of);
        let mut dropped = Vec::new();
        self.cuts.borrow_mut().retain(|(at, cut)| {
            let keep = !hit(*at);
            if !keep && watched.contains(at) {
                dropped.push((*at, Rc::clone(cut)));
            }
            keep
        });
        dropped
    }

    /// After an update: when the tiers of a state-change instant moved, compute every watched
    /// customer's past states again (those scored again by the update have theirs already).
    pub(super) fn past_tiers_moved(&mut self, dropped: Vec<(Instant, Rc<TierCut>)>) {
        if !dropped.iter().any(|(t, old)| *self.cut(*t) != **old) {
            return;
        }
        for c in 0..self.entries.len() {
            let e = &self.entries[c];
            if !e.alive {
                continue;
            }
            let now = super::history::State { band: e.band, level: e.base_level, stage: e.stage };
            if super::changes::watched(&now) {
                let ft = self.frame_then();
                let then_s = super::score::score(&ft, c, false);
                let past = [self.past_state(c, self.options.as_of - 7 * DAY_MS, None, now), self.past_state(c, self.then, Some(&then_s), now)];
                self.entries[c].past = past;
            }
        }
    }

    /// Build the cuts of `instants` that are missing.
    pub(super) fn cuts_for(&self, instants: &[Instant]) {
        let mut missing: Vec<Instant> = instants.iter().copied().filter(|t| !self.cuts.borrow().iter().any(|x| x.0 == *t)).collect();
        crate::sort::sort_i64(&mut missing);
        missing.dedup();
        if missing.is_empty() {
            return;
        }
        let d = &self.store.data;
        let id = |s: u32| d.customer_id(s as usize);
        let n = self.entries.len();
        let mut built: Vec<(Instant, Rc<TierCut>)> = Vec::new();
        let mut mine: Vec<(Instant, f64)> = Vec::new();
        // The instant before's rank keys by slot and its sorted (key, slot) pairs: the next
        // instant (days later) re-ranks only the customers whose revenue moved, and merges.
        let mut prev: Option<(Vec<u64>, Vec<(u64, u32)>)> = None;
        let batch = (KEYS_HELD / n.max(1)).clamp(4, 64);
        for chunk in missing.chunks(batch) {
            // Per instant, the rank key of every slot (NONE: no revenue).
            let mut keys: Vec<Vec<u64>> = vec![vec![NONE; n]; chunk.len()];
            for c in (0..n).filter(|c| self.entries[*c].alive) {
                mine.clear();
                mine.extend(self.store.rows_of::<Order>(c).iter().map(|o| (d.orders[*o as usize].at, d.orders[*o as usize].amount)));
                crate::score::cut::trailing_revenues(&mine, chunk, |k, sum| {
                    if sum > 0.0 {
                        keys[k][c] = !crate::sort::key_f64(sum);
                    }
                });
            }
            for (k, now) in keys.into_iter().enumerate() {
                let sorted = ranked(&now, prev.as_ref());
                let t = chunk[k];
                let cut = if t == self.options.as_of {
                    TierCut::of(&self.now_rank, &id)
                } else if t == self.then {
                    TierCut::of(&self.then_rank, &id)
                } else {
                    TierCut::of_sorted(&sorted, &id, &self.options.policy)
                };
                built.push((t, Rc::new(cut)));
                prev = Some((now, sorted));
            }
        }
        let mut cuts = self.cuts.borrow_mut();
        if cuts.len() + built.len() > MAX_CUTS {
            cuts.clear();
        }
        cuts.extend(built);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranking_from_the_instant_before_equals_ranking_afresh() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let n = 5000;
        let mut keys: Vec<u64> = (0..n).map(|_| if next() % 5 == 0 { NONE } else { next() % 50 }).collect();
        let mut prev: Option<(Vec<u64>, Vec<(u64, u32)>)> = None;
        for step in 0..6 {
            let got = ranked(&keys, prev.as_ref());
            let fresh = ranked(&keys, None);
            assert_eq!(got, fresh, "step {step}");
            assert!(fresh.windows(2).all(|w| w[0] < w[1]));
            prev = Some((keys.clone(), got));
            // A fifth of the customers move: revenue up, down, gone or new.
            for k in keys.iter_mut() {
                if next() % 5 == 0 {
                    *k = if next() % 4 == 0 { NONE } else { next() % 50 };
                }
            }
        }
    }
}
