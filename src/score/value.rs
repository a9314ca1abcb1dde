//! How much a customer matters: trailing-12-month revenue, A/B/C tiers and RFM.
//!
//! * `revenue12m`: the sum of order amounts (refunds negative) in the 365 days up to `asOf`.
//! * Tiers: customers with revenue in the window are ranked by it, descending, ties by id. A
//!   customer is A while the share of revenue of those ranked above it is under `tiers.A` %
//!   (default 80), B while under `tiers.A + tiers.B` % (95), else C. No revenue: C.
//! * RFM: among customers with at least one (non-refund) order by `asOf`, recency (days since
//!   the last order; fewer is better), frequency (number of orders) and monetary (net amount of
//!   all orders) are each scored 1–5 by quintile of their mid-rank (ties share a score), and a
//!   segment is named from the three scores (see [`segment`]).

use super::view::View;
use super::{days_between, r2};
use crate::policy::Policy;
use crate::time::{Instant, Stamp, DAY_MS};
use serde::Serialize;
use std::cmp::Ordering;

/// A value tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    /// The customers who make the top share of revenue.
    A,
    /// The next share.
    B,
    /// The rest, and customers without revenue in the window.
    C,
}

impl Tier {
    /// Its letter, as reported.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::A => "A",
            Tier::B => "B",
            Tier::C => "C",
        }
    }
}

/// RFM scores and segment.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rfm {
    /// Recency score 1–5 (5: bought most recently).
    pub r: u8,
    /// Frequency score 1–5 (5: most orders).
    pub f: u8,
    /// Monetary score 1–5 (5: most spent).
    pub m: u8,
    /// The segment name, e.g. `Champions` or `Can't Lose Them`.
    pub segment: &'static str,
    /// Days since the last order.
    pub recency_days: f64,
    /// Number of orders.
    pub frequency: u32,
    /// Net amount of all orders.
    pub monetary: f64,
}

/// The value part of a customer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Value {
    /// A, B or C.
    pub tier: Tier,
    /// Revenue in the trailing 365 days.
    pub revenue12m: f64,
    /// Revenue in the 365 days before those.
    pub revenue_prev12m: f64,
    /// Share of the portfolio's trailing revenue, in percent.
    pub revenue_share: f64,
    /// Share of revenue of the customers ranked above this one, in percent (what set the tier).
    pub share_above: Option<f64>,
    /// RFM scores; null without orders.
    pub rfm: Option<Rfm>,
    /// Expected lifetime value, when a buying model is fitted (null otherwise).
    pub clv: Option<f64>,
    /// The last order, if any.
    pub last_order_at: Option<Stamp>,
}

/// Name an RFM segment from the three scores. Rules, first match wins:
///
/// | segment | rule |
/// |---|---|
/// | Champions | r ≥ 4, f ≥ 4, m ≥ 4 |
/// | Can't Lose Them | r ≤ 2, f ≥ 4, m ≥ 4 |
/// | Loyal | r ≥ 3, f ≥ 4 |
/// | At Risk | r ≤ 2, f ≥ 3 |
/// | New | r ≥ 4, f = 1 |
/// | Potential Loyalist | r ≥ 4 |
/// | Need Attention | r = 3, f = 3 |
/// | Promising | r = 3 |
/// | Hibernating | r = 2 |
/// | Lost | r = 1 |
pub fn segment(r: u8, f: u8, m: u8) -> &'static str {
    match (r, f, m) {
        (4.., 4.., 4..) => "Champions",
        (..=2, 4.., 4..) => "Can't Lose Them",
        (3.., 4.., _) => "Loyal",
        (..=2, 3.., _) => "At Risk",
        (4.., ..=1, _) => "New",
        (4.., _, _) => "Potential Loyalist",
        (3, 3, _) => "Need Attention",
        (3, _, _) => "Promising",
        (2, _, _) => "Hibernating",
        _ => "Lost",
    }
}

/// A customer's own figures at an instant (the portfolio sets its tier and RFM scores).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Own {
    /// Sum of amounts in the trailing 365 days (refunds negative), unrounded.
    pub revenue12m: f64,
    /// The same over the 365 days before.
    pub revenue_prev12m: f64,
    /// Orders (not refunds).
    pub orders: u32,
    /// Net amount of all orders.
    pub total: f64,
    /// The last order (not a refund).
    pub last: Option<Instant>,
}

/// A customer's own figures.
pub fn own(v: &View) -> Own {
    let d = v.d;
    let window_start = v.as_of - 365 * DAY_MS;
    let prev_start = window_start - 365 * DAY_MS;
    let mut o = Own::default();
    for &i in v.orders {
        let x = &d.orders[i as usize];
        if x.at > window_start {
            o.revenue12m += x.amount;
        } else if x.at > prev_start {
            o.revenue_prev12m += x.amount;
        }
        o.total += x.amount;
        if !x.refund {
            o.orders += 1;
            o.last = Some(x.at);
        }
    }
    o
}

/// The RFM recency of a buyer: days since its last order.
pub fn recency_days(o: &Own, as_of: Instant) -> Option<f64> {
    (o.orders > 0).then(|| o.last.map_or(0.0, |t| days_between(t, as_of)))
}

/// The quintile score 1–5 of `x` among `sorted` (ascending; `x` one of them) by mid-rank.
pub fn quintile(sorted: &[f64], x: f64) -> u8 {
    let n = sorted.len().max(1);
    let below = sorted.partition_point(|v| *v < x);
    let upto = sorted.partition_point(|v| *v <= x);
    let pct = (below as f64 + (upto - below) as f64 / 2.0) / n as f64;
    crate::num::clamp(1.0 + (5.0 * pct).floor(), 1.0, 5.0) as u8
}

/// Quintile scores 1–5 of `xs` by mid-rank: a value's position is the share of values strictly
/// below it plus half the share equal to it; ties therefore share a score.
pub fn quintiles(xs: &[f64]) -> Vec<u8> {
    let mut sorted: Vec<f64> = xs.to_vec();
    crate::sort::sort_f64(&mut sorted);
    xs.iter().map(|x| quintile(&sorted, *x)).collect()
}

/// The portfolio's RFM scales: the recency (negated, so higher is better), frequency and
/// monetary values of every buyer, each sorted, kept up to date as customers change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RfmScales {
    /// Negated recency days, ascending.
    pub r: Vec<f64>,
    /// Order counts, ascending.
    pub f: Vec<f64>,
    /// Net amounts, ascending.
    pub m: Vec<f64>,
}

fn sorted_insert(v: &mut Vec<f64>, x: f64) {
    let p = v.partition_point(|y| y.total_cmp(&x).is_lt());
    v.insert(p, x);
}

fn sorted_remove(v: &mut Vec<f64>, x: f64) {
    let p = v.partition_point(|y| y.total_cmp(&x).is_lt());
    if v.get(p).is_some_and(|y| y.total_cmp(&x).is_eq()) {
        v.remove(p);
    }
}

/// A buyer's place on the scales.
pub type RfmKey = (f64, f64, f64);

/// A customer's RFM values, when it is a buyer.
pub fn rfm_key(o: &Own, as_of: Instant) -> Option<RfmKey> {
    recency_days(o, as_of).map(|r| (-r, f64::from(o.orders), o.total))
}

impl RfmScales {
    /// The scales of these buyers.
    pub fn build(keys: impl Iterator<Item = RfmKey>) -> Self {
        let mut s = RfmScales::default();
        for (r, f, m) in keys {
            s.r.push(r);
            s.f.push(f);
            s.m.push(m);
        }
        for v in [&mut s.r, &mut s.f, &mut s.m] {
            crate::sort::sort_f64(v);
        }
        s
    }

    /// Add a buyer.
    pub fn add(&mut self, k: RfmKey) {
        sorted_insert(&mut self.r, k.0);
        sorted_insert(&mut self.f, k.1);
        sorted_insert(&mut self.m, k.2);
    }

    /// Remove a buyer.
    pub fn remove(&mut self, k: RfmKey) {
        sorted_remove(&mut self.r, k.0);
        sorted_remove(&mut self.f, k.1);
        sorted_remove(&mut self.m, k.2);
    }

    /// A buyer's RFM scores (recency, frequency, monetary).
    pub fn scores(&self, k: RfmKey) -> (u8, u8, u8) {
        (quintile(&self.r, k.0), quintile(&self.f, k.1), quintile(&self.m, k.2))
    }

    /// A buyer's RFM scores and segment.
    pub fn rfm(&self, k: RfmKey, o: &Own) -> Rfm {
        Rfm::of(self.scores(k), k, o)
    }
}

impl Rfm {
    /// A buyer's RFM report from its scores (`(r, f, m)`), its values and own figures.
    pub fn of((r, f, m): (u8, u8, u8), k: RfmKey, o: &Own) -> Rfm {
        Rfm { r, f, m, segment: segment(r, f, m), recency_days: r2(-k.0), frequency: o.orders, monetary: r2(o.total) }
    }
}

/// Tiers from the customers' trailing revenue: ranked by revenue, descending, ties by id; a
/// customer is A while the share of revenue of those ranked above it is under `tiers.A`, B
/// while under `tiers.A + tiers.B`, else C; without revenue, C.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Customers with revenue, in rank order: (revenue, slot).
    pub order: Vec<(f64, u32)>,
    /// The portfolio's trailing revenue (summed in rank order).
    pub sum: f64,
    /// Per slot: its tier and the share (percent) of those ranked above it.
    pub place: Vec<(Tier, Option<f64>)>,
}

impl Ranking {
    fn cmp<'a>(a: &(f64, u32), b: &(f64, u32), id: &dyn Fn(u32) -> &'a str) -> Ordering {
        b.0.partial_cmp(&a.0).unwrap_or(Ordering::Equal).then_with(|| id(a.1).cmp(id(b.1)))
    }

    /// Rank `revenue` (by slot; customers without revenue are left out).
    pub fn build<'a>(revenue: &[f64], id: &dyn Fn(u32) -> &'a str, policy: &Policy) -> Self {
        // Revenue descending (as `cmp`: the revenues are positive), then id.
        let mut slots: Vec<u32> = (0..revenue.len() as u32).filter(|c| revenue[*c as usize] > 0.0).collect();
        crate::sort::by_key_then(&mut slots, &|c| !crate::sort::key_f64(revenue[c as usize]), &|a, b| id(a).cmp(id(b)));
        let order: Vec<(f64, u32)> = slots.into_iter().map(|c| (revenue[c as usize], c)).collect();
        let mut r = Ranking { order, sum: 0.0, place: vec![(Tier::C, None); revenue.len()] };
        r.refresh(policy);
        r
    }

    /// Move customer `slot` from revenue `old` to `new`; returns the slots whose tier changed.
    pub fn update<'a>(&mut self, slot: u32, old: f64, new: f64, id: &dyn Fn(u32) -> &'a str, policy: &Policy) -> Vec<u32> {
        if self.place.len() <= slot as usize {
            self.place.resize(slot as usize + 1, (Tier::C, None));
        }
        if old > 0.0 {
            // Found by revenue, then by slot among equal revenues (the slot's id may have
            // changed hands when a removed customer's slot was reused).
            let lo = self.order.partition_point(|x| x.0 > old);
            if let Some(k) = self.order[lo..].iter().take_while(|x| x.0 == old).position(|x| x.1 == slot) {
                self.order.remove(lo + k);
            }
        }
        if new > 0.0 {
            let p = self.order.partition_point(|x| Self::cmp(x, &(new, slot), id).is_lt());
            self.order.insert(p, (new, slot));
        }
        let before: Vec<Tier> = self.place.iter().map(|p| p.0).collect();
        self.place[slot as usize] = (Tier::C, None);
        self.refresh(policy);
        self.place.iter().enumerate().filter(|(c, p)| before[*c] != p.0).map(|(c, _)| c as u32).collect()
    }

    fn refresh(&mut self, policy: &Policy) {
        self.sum = self.order.iter().map(|x| x.0).sum();
        let mut cum = 0.0;
        for &(rev, c) in &self.order {
            let above = if self.sum > 0.0 { cum / self.sum * 100.0 } else { 100.0 };
            let tier = if above < policy.tiers.a {
                Tier::A
            } else if above < policy.tiers.a + policy.tiers.b {
                Tier::B
            } else {
                Tier::C
            };
            self.place[c as usize] = (tier, Some(above));
            cum += rev;
        }
    }

    /// A customer's tier.
    pub fn tier(&self, c: usize) -> Tier {
        self.place.get(c).map_or(Tier::C, |p| p.0)
    }
}

/// The value part of a customer's report (`rfm`: its RFM report, from the portfolio's scales).
pub fn describe(o: &Own, ranking: &Ranking, rfm: Option<Rfm>, c: usize, clv: Option<f64>, offset: i32) -> Value {
    let (tier, above) = ranking.place.get(c).copied().unwrap_or((Tier::C, None));
    let sum = ranking.sum;
    Value {
        tier,
        revenue12m: r2(o.revenue12m),
        revenue_prev12m: r2(o.revenue_prev12m),
        revenue_share: if sum > 0.0 && o.revenue12m > 0.0 { r2(o.revenue12m / sum * 100.0) } else { 0.0 },
        share_above: above.map(r2),
        rfm,
        clv,
        last_order_at: o.last.map(|t| Stamp::new(t, offset)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_spread_and_share_ties() {
        assert_eq!(quintiles(&[1.0, 2.0, 3.0, 4.0, 5.0]), vec![1, 2, 3, 4, 5]);
        assert_eq!(quintiles(&[7.0]), vec![3]);
        assert_eq!(quintiles(&[2.0, 2.0, 2.0]), vec![3, 3, 3]);
        let q = quintiles(&(0..100).map(f64::from).collect::<Vec<_>>());
        assert_eq!(q.iter().filter(|s| **s == 1).count(), 20);
        assert_eq!(q.iter().filter(|s| **s == 5).count(), 20);
    }

    #[test]
    fn segments() {
        assert_eq!(segment(5, 5, 5), "Champions");
        assert_eq!(segment(1, 5, 5), "Can't Lose Them");
        assert_eq!(segment(3, 4, 1), "Loyal");
        assert_eq!(segment(2, 3, 1), "At Risk");
        assert_eq!(segment(5, 1, 1), "New");
        assert_eq!(segment(4, 2, 3), "Potential Loyalist");
        assert_eq!(segment(3, 3, 3), "Need Attention");
        assert_eq!(segment(3, 1, 1), "Promising");
        assert_eq!(segment(2, 2, 2), "Hibernating");
        assert_eq!(segment(1, 1, 1), "Lost");
    }
}
