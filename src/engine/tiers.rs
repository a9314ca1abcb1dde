//! The tiers of past instants, for histories and state changes: every customer's trailing
//! revenue at each instant asked (the orders of its window, summed in time order as
//! `value::own` sums them), ranked into a [`TierCut`]. Built in batches, kept until an update
//! changes orders or customers.

use super::Engine;
use crate::input::records::Order;
use crate::score::cut::TierCut;
use crate::time::{Instant, DAY_MS};
use std::rc::Rc;

/// Cuts kept at most (the instants of the longest history twice over, and the state changes').
pub const MAX_CUTS: usize = 2 * (super::history::MAX_WEEKS as usize + 1) + 8;

/// Instants ranked per pass over the customers (bounds the revenues held at once).
const BATCH: usize = 16;

impl Engine {
    /// The cut at `t` (built when missing).
    pub(super) fn cut(&self, t: Instant) -> Rc<TierCut> {
        self.cuts_for(&[t]);
        self.cuts.borrow().iter().find(|x| x.0 == t).map(|x| Rc::clone(&x.1)).unwrap_or_default()
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
        for chunk in missing.chunks(BATCH) {
            // Per instant, (rank key, slot) of the customers with revenue, pushed in slot order.
            let mut pairs: Vec<Vec<(u64, u32)>> = vec![Vec::new(); chunk.len()];
            for c in (0..n).filter(|c| self.entries[*c].alive) {
                mine.clear();
                mine.extend(self.store.rows_of::<Order>(c).iter().map(|o| (d.orders[*o as usize].at, d.orders[*o as usize].amount)));
                let (mut lo, mut hi) = (0, 0);
                for (k, &t) in chunk.iter().enumerate() {
                    // The instants ascend: both ends of the window only move on.
                    while hi < mine.len() && mine[hi].0 <= t {
                        hi += 1;
                    }
                    while lo < hi && mine[lo].0 <= t - 365 * DAY_MS {
                        lo += 1;
                    }
                    let mut sum = 0.0;
                    for o in &mine[lo..hi] {
                        sum += o.1;
                    }
                    if sum > 0.0 {
                        pairs[k].push((!crate::sort::key_f64(sum), c as u32));
                    }
                }
            }
            for (k, &t) in chunk.iter().enumerate() {
                let cut = if t == self.options.as_of {
                    TierCut::of(&self.now_rank, &id)
                } else if t == self.then {
                    TierCut::of(&self.then_rank, &id)
                } else {
                    crate::sort::radix_pairs(&mut pairs[k]);
                    TierCut::of_sorted(&pairs[k], &id, &self.options.policy)
                };
                built.push((t, Rc::new(cut)));
            }
        }
        let mut cuts = self.cuts.borrow_mut();
        if cuts.len() + built.len() > MAX_CUTS {
            cuts.clear();
        }
        cuts.extend(built);
    }
}
