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

use super::{days_between, r2};
use crate::input::snapshot::Snapshot;
use crate::policy::Policy;
use crate::time::{format_instant, DAY_MS};
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
    pub last_order_at: Option<String>,
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

/// Quintile scores 1–5 of `xs` by mid-rank: a value's position is the share of values strictly
/// below it plus half the share equal to it; ties therefore share a score.
pub fn quintiles(xs: &[f64]) -> Vec<u8> {
    let n = xs.len();
    let mut sorted: Vec<f64> = xs.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    xs.iter()
        .map(|x| {
            let below = sorted.partition_point(|v| v < x);
            let upto = sorted.partition_point(|v| v <= x);
            let pct = (below as f64 + (upto - below) as f64 / 2.0) / n as f64;
            (1.0 + (5.0 * pct).floor()).clamp(1.0, 5.0) as u8
        })
        .collect()
}

/// Value of every customer of the snapshot, in customer order.
pub fn compute(snap: &Snapshot, policy: &Policy) -> Vec<Value> {
    let d = snap.data;
    let n = d.customers.len();
    let window_start = snap.as_of - 365 * DAY_MS;
    let mut revenue = vec![0.0f64; n];
    let mut previous = vec![0.0f64; n];
    let prev_start = window_start - 365 * DAY_MS;
    let mut count = vec![0u32; n];
    let mut total = vec![0.0f64; n];
    let mut last = vec![None; n];
    for (c, rev) in revenue.iter_mut().enumerate() {
        for &i in snap.orders.of(c) {
            let o = &d.orders[i as usize];
            if o.at > window_start {
                *rev += o.amount;
            } else if o.at > prev_start {
                previous[c] += o.amount;
            }
            total[c] += o.amount;
            if !o.refund {
                count[c] += 1;
                last[c] = Some(o.at);
            }
        }
    }
    // Tiers.
    let mut ranked: Vec<usize> = (0..n).filter(|c| revenue[*c] > 0.0).collect();
    super::sort_by(&mut ranked, |a, b| {
        revenue[*b].partial_cmp(&revenue[*a]).unwrap_or(Ordering::Equal).then_with(|| d.customers[*a].id.cmp(&d.customers[*b].id))
    });
    let sum: f64 = ranked.iter().map(|c| revenue[*c]).sum();
    let mut tier = vec![Tier::C; n];
    let mut share_above = vec![None; n];
    let mut cum = 0.0;
    for &c in &ranked {
        let above = if sum > 0.0 { cum / sum * 100.0 } else { 100.0 };
        tier[c] = if above < policy.tiers.a {
            Tier::A
        } else if above < policy.tiers.a + policy.tiers.b {
            Tier::B
        } else {
            Tier::C
        };
        share_above[c] = Some(r2(above));
        cum += revenue[c];
    }
    // RFM among buyers.
    let buyers: Vec<usize> = (0..n).filter(|c| count[*c] > 0).collect();
    let recency: Vec<f64> = buyers.iter().map(|c| last[*c].map_or(0.0, |t| days_between(t, snap.as_of))).collect();
    let r_scores = quintiles(&recency.iter().map(|x| -x).collect::<Vec<_>>());
    let f_scores = quintiles(&buyers.iter().map(|c| f64::from(count[*c])).collect::<Vec<_>>());
    let m_scores = quintiles(&buyers.iter().map(|c| total[*c]).collect::<Vec<_>>());
    let mut rfm = vec![None; n];
    for (k, &c) in buyers.iter().enumerate() {
        let (r, f, m) = (r_scores[k], f_scores[k], m_scores[k]);
        rfm[c] = Some(Rfm { r, f, m, segment: segment(r, f, m), recency_days: r2(recency[k]), frequency: count[c], monetary: r2(total[c]) });
    }
    let off = policy.offset_secs;
    (0..n)
        .map(|c| Value {
            tier: tier[c],
            revenue12m: r2(revenue[c]),
            revenue_prev12m: r2(previous[c]),
            revenue_share: if sum > 0.0 && revenue[c] > 0.0 { r2(revenue[c] / sum * 100.0) } else { 0.0 },
            share_above: share_above[c],
            rfm: rfm[c].take(),
            clv: None,
            last_order_at: last[c].map(|t| format_instant(t, off)),
        })
        .collect()
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
