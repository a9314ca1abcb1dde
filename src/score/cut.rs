//! The tiers of a past instant, kept small: where a [`Ranking`] turns from A to B and from B
//! to C. A customer's tier at that instant follows from its own revenue then and its id, so a
//! history re-runs one customer at many instants without a whole ranking per instant.

use super::value::{Ranking, Tier};
use std::cmp::Ordering;

/// The first customer of tier B and of tier C in a ranking's order, as `(revenue, id)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TierCut {
    first_b: Option<(f64, String)>,
    first_c: Option<(f64, String)>,
}

impl TierCut {
    /// Its two ends: the first customer of tier B and of tier C, as `(revenue, id)`.
    pub fn ends(&self) -> [Option<(f64, String)>; 2] {
        [self.first_b.clone(), self.first_c.clone()]
    }

    /// A cut from its two ends ([`TierCut::ends`]).
    pub fn from_ends([first_b, first_c]: [Option<(f64, String)>; 2]) -> Self {
        TierCut { first_b, first_c }
    }

    /// The cut of a ranking (`id` names a slot).
    pub fn of<'a>(r: &Ranking, id: &dyn Fn(u32) -> &'a str) -> Self {
        let first = |t: Tier| r.order.iter().find(|(_, c)| r.tier(*c as usize) == t).map(|(rev, c)| (*rev, id(*c).to_owned()));
        TierCut { first_b: first(Tier::B), first_c: first(Tier::C) }
    }

    /// The cut of revenues as [`Ranking::build`] ranks them, from `pairs`:
    /// `(!key_f64(revenue), slot)` of the slots with revenue, sorted. Equal revenues are put in
    /// id order only where a cut falls among them.
    pub fn of_sorted<'a>(pairs: &[(u64, u32)], id: &dyn Fn(u32) -> &'a str, policy: &crate::policy::Policy) -> Self {
        let value = |k: u64| crate::sort::from_key_f64(!k);
        // The ranking's sum: in rank order (equal revenues are equal values whatever their order).
        let sum: f64 = pairs.iter().map(|p| value(p.0)).sum();
        let tier = |above: f64| {
            if above < policy.tiers.a {
                Tier::A
            } else if above < policy.tiers.a + policy.tiers.b {
                Tier::B
            } else {
                Tier::C
            }
        };
        let mut cut = TierCut::default();
        let mut cum = 0.0;
        let mut i = 0;
        while i < pairs.len() && cut.first_c.is_none() {
            let j = i + pairs[i..].iter().take_while(|p| p.0 == pairs[i].0).count();
            let r = value(pairs[i].0);
            let mut group: Option<Vec<u32>> = None;
            for q in 0..j - i {
                let above = if sum > 0.0 { cum / sum * 100.0 } else { 100.0 };
                let t = tier(above);
                let slot = |q: usize, g: &mut Option<Vec<u32>>| {
                    let g = g.get_or_insert_with(|| {
                        let mut g: Vec<u32> = pairs[i..j].iter().map(|p| p.1).collect();
                        crate::sort::sort_by(&mut g, |a, b| id(*a).cmp(id(*b)));
                        g
                    });
                    (r, id(g[q]).to_owned())
                };
                if t == Tier::B && cut.first_b.is_none() {
                    cut.first_b = Some(slot(q, &mut group));
                }
                if t == Tier::C {
                    cut.first_c = Some(slot(q, &mut group));
                    break;
                }
                cum += r;
            }
            i = j;
        }
        cut
    }

    /// The tier of a customer with trailing revenue `revenue` and id `id` at the cut's instant
    /// (the customer is one of the ranking's, with that revenue).
    pub fn tier(&self, revenue: f64, id: &str) -> Tier {
        if revenue <= 0.0 {
            return Tier::C;
        }
        // Rank order: revenue descending, then id.
        let before = |cut: &Option<(f64, String)>| match cut {
            None => true,
            Some((rev, cid)) => match rev.partial_cmp(&revenue).unwrap_or(Ordering::Equal) {
                Ordering::Less => true,
                Ordering::Greater => false,
                Ordering::Equal => id < cid.as_str(),
            },
        };
        if before(&self.first_b) && before(&self.first_c) {
            Tier::A
        } else if before(&self.first_c) {
            Tier::B
        } else {
            Tier::C
        }
    }
}

/// A customer's trailing revenue (the 365 days up to each instant) at ascending `instants`,
/// from its orders `(at, amount)` in time order, summed in time order as `value::own` sums
/// them; `out(k, revenue)` for the `k`-th instant.
pub fn trailing_revenues(orders: &[(crate::time::Instant, f64)], instants: &[crate::time::Instant], mut out: impl FnMut(usize, f64)) {
    let year = 365 * crate::time::DAY_MS;
    let (mut lo, mut hi) = (0, 0);
    for (k, &t) in instants.iter().enumerate() {
        // The instants ascend: both ends of the window only move on.
        while hi < orders.len() && orders[hi].0 <= t {
            hi += 1;
        }
        while lo < hi && orders[lo].0 <= t - year {
            lo += 1;
        }
        let mut sum = 0.0;
        for o in &orders[lo..hi] {
            sum += o.1;
        }
        out(k, sum);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn the_cut_gives_every_customer_its_ranking_tier() {
        // Revenue with ties, so that ids decide.
        let revenue = [50.0, 10.0, 10.0, 0.0, 300.0, 10.0, 40.0, 5.0, 10.0, 120.0];
        let ids: Vec<String> = (0..revenue.len()).map(|k| format!("c{}", (k * 7) % 10)).collect();
        let id = |s: u32| ids[s as usize].as_str();
        for a in [10.0, 50.0, 80.0, 95.0] {
            let mut p = Policy::default();
            p.tiers.a = a;
            p.tiers.b = 10.0;
            let r = Ranking::build(&revenue, &id, &p);
            let cut = TierCut::of(&r, &id);
            for c in 0..revenue.len() {
                assert_eq!(cut.tier(revenue[c], id(c as u32)), r.tier(c), "customer {c} with tiers.a {a}");
            }
            let mut pairs: Vec<(u64, u32)> =
                (0..revenue.len() as u32).filter(|c| revenue[*c as usize] > 0.0).map(|c| (!crate::sort::key_f64(revenue[c as usize]), c)).collect();
            crate::sort::sort_pairs(&mut pairs);
            assert_eq!(TierCut::of_sorted(&pairs, &id, &p), cut, "tiers.a {a}");
        }
    }
}
