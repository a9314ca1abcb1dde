//! Whose buying behaviour changed — model-free.
//!
//! * **Rates**: orders in the last 90 days against orders in the 365 days before them, both
//!   per 30 days. Under "no change" an order falls in the recent window with probability
//!   90 / 455, so given the `n` orders of both windows the recent count is Binomial(n, 90/455)
//!   (the exact conditional test of two Poisson rates). `pValue` is the two-sided exact p-value;
//!   the one-sided tail in the direction observed decides `growing` / `slowing`.
//! * **Rhythm**: the median gap, in days, between the customer's distinct order days; the next
//!   order is expected one median gap after the last, and `overdueDays` is how far past that
//!   `asOf` is.
//! * **Status**, first rule that matches:
//!
//! | status | rule |
//! |---|---|
//! | `never` | no order by `asOf` |
//! | `new` | the first order is at most 90 days old |
//! | `lapsed` | with a rhythm: more than 3 median gaps and more than 90 days since the last order; with a single order day: more than 180 days |
//! | `slowing` | recent rate below baseline with one-sided p < 0.05; or more than 2 median gaps and more than 30 days since the last order |
//! | `growing` | recent rate above baseline with one-sided p < 0.05 |
//! | `steady` | otherwise |

use super::r2;
use super::view::View;
use crate::time::{Instant, Stamp, DAY_MS};
use serde::Serialize;

/// Days in the recent window.
pub const RECENT_DAYS: i64 = 90;
/// Days in the baseline window (before the recent one).
pub const BASELINE_DAYS: i64 = 365;
/// Significance level of the rate test.
pub const ALPHA: f64 = 0.05;

/// A buying status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// First order within 90 days.
    New,
    /// Buying significantly more often.
    Growing,
    /// No significant change.
    Steady,
    /// Buying significantly less often, or overdue against its rhythm.
    Slowing,
    /// Stopped buying.
    Lapsed,
    /// Never bought.
    Never,
    /// The export has no orders table: buying is not known (an empty table is `never`).
    #[serde(rename = "not_recorded")]
    NotRecorded,
}

/// The buying part of a customer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Buying {
    /// The status.
    pub status: Status,
    /// Orders (not refunds) by `asOf`.
    pub orders: u32,
    /// Orders in the last 90 days.
    pub recent_orders: u32,
    /// Orders in the 365 days before those.
    pub baseline_orders: u32,
    /// Recent orders per 30 days.
    pub recent_rate: f64,
    /// Baseline orders per 30 days.
    pub baseline_rate: f64,
    /// Two-sided exact p-value of the change (null without orders in either window).
    pub p_value: Option<f64>,
    /// Median days between distinct order days (null with fewer than two).
    pub median_gap_days: Option<f64>,
    /// Days since the last order.
    pub days_since_last_order: Option<f64>,
    /// When the next order is expected by the customer's rhythm.
    pub next_order_expected: Option<Stamp>,
    /// Days past that expectation (0 when not overdue).
    pub overdue_days: Option<f64>,
    /// The first order.
    pub first_order_at: Option<Stamp>,
    /// The last order's id.
    pub last_order_id: Option<String>,
    /// P(alive) from the fitted buying model, when one is fitted.
    pub p_alive: Option<f64>,
    /// Expected purchases in the next 90 days from the fitted model.
    pub expected_purchases: Option<f64>,
    /// With a fitted model: the day P(alive) falls below `policy.lapseThreshold` if the customer
    /// buys nothing more (null when it never does within 5 years, or is below already).
    pub lapse_at: Option<Stamp>,
    /// With a fitted model: since when P(alive) has been below the threshold (never before the
    /// last order).
    pub lapsed_since: Option<Stamp>,
    /// The last order, as an instant.
    #[serde(skip)]
    pub last_order: Option<Instant>,
    /// The last order's slot.
    #[serde(skip)]
    pub last_order_slot: Option<crate::input::records::Slot>,
}

/// The binomial tails of an observed count `k` of `n` at probability `p`:
/// `(P(X ≤ k), P(X ≥ k), two-sided p)`, the two-sided one summing every outcome no more likely
/// than `k`. The probabilities are taken relative to the mode's (1 there, each neighbour from
/// the last by the ratio `(n − j)/(j + 1) · p/q`) and normalised by their sum: no overflow for
/// any `n`, and no logarithm or exponential (this runs for every customer, twice, and those are
/// slow in WebAssembly). Terms that underflow to 0 are beyond any tail that matters.
pub fn binomial_tails(k: u32, n: u32, p: f64) -> (f64, f64, f64) {
    let k = k.min(n);
    if n == 0 {
        return (1.0, 1.0, 1.0);
    }
    if !(p > 0.0 && p < 1.0) {
        // All the mass on one outcome.
        let at = if p >= 1.0 { n } else { 0 };
        let hit = |b: bool| if b { 1.0 } else { 0.0 };
        return (hit(k >= at), hit(k <= at), hit(k == at));
    }
    let (up, down) = (p / (1.0 - p), (1.0 - p) / p);
    let mode = ((f64::from(n) + 1.0) * p).floor().min(f64::from(n)) as u32;
    // Every outcome's relative weight, from the mode outwards (stopping where they underflow).
    let weights = |f: &mut dyn FnMut(u32, f64)| {
        f(mode, 1.0);
        let mut w = 1.0;
        for j in mode..n {
            w *= f64::from(n - j) / f64::from(j + 1) * up;
            if w == 0.0 {
                break;
            }
            f(j + 1, w);
        }
        w = 1.0;
        for j in (1..=mode).rev() {
            w *= f64::from(j) / f64::from(n - j + 1) * down;
            if w == 0.0 {
                break;
            }
            f(j - 1, w);
        }
    };
    let mut obs = 0.0;
    weights(&mut |j, w| {
        if j == k {
            obs = w;
        }
    });
    let (mut all, mut lower, mut upper, mut two) = (0.0, 0.0, 0.0, 0.0);
    weights(&mut |j, w| {
        all += w;
        if j <= k {
            lower += w;
        }
        if j >= k {
            upper += w;
        }
        if w <= obs * (1.0 + 1e-7) {
            two += w;
        }
    });
    (f64::min(lower / all, 1.0), f64::min(upper / all, 1.0), f64::min(two / all, 1.0))
}

thread_local! {
    /// Order days of the customer being scored (reused: no allocation per customer).
    static DAYS: std::cell::RefCell<(Vec<i64>, Vec<f64>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

/// Buying behaviour of one customer; `day_of` gives an instant's local day.
pub fn compute(v: &View, offset_secs: i32, day_of: impl Fn(i64) -> i64) -> Buying {
    let d = v.d;
    let as_of = v.as_of;
    let recent_start = as_of - RECENT_DAYS * DAY_MS;
    let base_start = recent_start - BASELINE_DAYS * DAY_MS;
    let (mut n, mut recent, mut base) = (0u32, 0u32, 0u32);
    let mut first = None;
    let mut last = None;
    let mut last_slot = None;
    DAYS.with(|cell| {
    let mut scratch = cell.borrow_mut();
    let (days, gaps) = &mut *scratch;
    days.clear();
    for &i in v.orders {
        let o = &d.orders[i as usize];
        if o.refund {
            continue;
        }
        n += 1;
        first.get_or_insert(o.at);
        last = Some(o.at);
        last_slot = Some(i);
        let day = day_of(o.at);
        if days.last() != Some(&day) {
            days.push(day);
        }
        if o.at > recent_start {
            recent += 1;
        } else if o.at > base_start {
            base += 1;
        }
    }
    gaps.clear();
    gaps.extend(days.windows(2).map(|w| (w[1] - w[0]) as f64));
    let gap = super::median(gaps);
    let since = last.map(|t| (as_of - t) as f64 / DAY_MS as f64);
    let recent_rate = f64::from(recent) * 30.0 / RECENT_DAYS as f64;
    let baseline_rate = f64::from(base) * 30.0 / BASELINE_DAYS as f64;
    let p0 = RECENT_DAYS as f64 / (RECENT_DAYS + BASELINE_DAYS) as f64;
    let (lower, upper, two) = binomial_tails(recent, recent + base, p0);
    let tested = recent + base > 0;
    let first_age = first.map(|t| (as_of - t) as f64 / DAY_MS as f64);
    let status = match (first_age, since) {
        (None, _) | (_, None) => Status::Never,
        (Some(age), _) if age <= RECENT_DAYS as f64 => Status::New,
        (_, Some(s)) if is_lapsed(s, gap) => Status::Lapsed,
        (_, Some(s)) if (tested && recent_rate < baseline_rate && lower < ALPHA) || gap.is_some_and(|g| s > 2.0 * g && s > 30.0) => {
            Status::Slowing
        }
        _ if tested && recent_rate > baseline_rate && upper < ALPHA => Status::Growing,
        _ => Status::Steady,
    };
    let next = match (last, gap) {
        (Some(t), Some(g)) => Some(t + (g * DAY_MS as f64) as i64),
        _ => None,
    };
    Buying {
        status,
        orders: n,
        recent_orders: recent,
        baseline_orders: base,
        recent_rate: r2(recent_rate),
        baseline_rate: r2(baseline_rate),
        p_value: tested.then(|| (two * 1e4).round() / 1e4),
        median_gap_days: gap.map(r2),
        days_since_last_order: since.map(r2),
        next_order_expected: next.map(|t| Stamp::new(t, offset_secs)),
        overdue_days: match (since, gap) {
            (Some(s), Some(g)) => Some(r2((s - g).max(0.0))),
            _ => None,
        },
        first_order_at: first.map(|t| Stamp::new(t, offset_secs)),
        last_order_id: None,
        p_alive: None,
        expected_purchases: None,
        last_order: last,
        lapse_at: None,
        lapsed_since: None,
        last_order_slot: last_slot,
    }
    })
}

/// The `lapsed` rule.
pub fn is_lapsed(days_since: f64, median_gap: Option<f64>) -> bool {
    match median_gap {
        Some(g) => days_since > 3.0 * g && days_since > 90.0,
        None => days_since > 180.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_tails_match_hand_values() {
        // n = 2, p = 0.5: P(0) = .25, P(1) = .5, P(2) = .25.
        let (lo, hi, two) = binomial_tails(0, 2, 0.5);
        assert!((lo - 0.25).abs() < 1e-12 && (hi - 1.0).abs() < 1e-12 && (two - 0.5).abs() < 1e-12);
        // n = 10, p = 90/455, k = 0: (365/455)^10.
        let (lo, _, _) = binomial_tails(0, 10, 90.0 / 455.0);
        assert!((lo - (365.0f64 / 455.0).powi(10)).abs() < 1e-12);
        // Large n stays finite.
        let (lo, hi, two) = binomial_tails(500, 5000, 0.2);
        assert!(lo.is_finite() && hi.is_finite() && two.is_finite());
        assert!(lo < 1e-10, "500 of 5000 at p .2 is far below the mean of 1000");
        // All the mass on one outcome.
        assert_eq!(binomial_tails(0, 5, 0.0), (1.0, 1.0, 1.0));
        assert_eq!(binomial_tails(2, 5, 1.0), (0.0, 1.0, 0.0));
    }

    /// The tails summed from the probability function in log space: an independent evaluation.
    fn tails_by_logs(k: u32, n: u32, p: f64) -> (f64, f64, f64) {
        let ln_pmf = |j: u32| {
            let ln_c: f64 = (1..=j).map(|i| f64::from(n - i + 1).ln() - f64::from(i).ln()).sum();
            ln_c + f64::from(j) * p.ln() + f64::from(n - j) * (1.0 - p).ln()
        };
        let obs = ln_pmf(k).exp();
        let pmf: Vec<f64> = (0..=n).map(|j| ln_pmf(j).exp()).collect();
        let lower: f64 = pmf[..=k as usize].iter().sum();
        let upper: f64 = pmf[k as usize..].iter().sum();
        let two: f64 = pmf.iter().filter(|x| **x <= obs * (1.0 + 1e-7)).sum();
        (lower.min(1.0), upper.min(1.0), two.min(1.0))
    }

    #[test]
    fn binomial_tails_match_the_log_space_sums() {
        for n in 1..=80u32 {
            for k in 0..=n {
                for p in [0.01, 90.0 / 455.0, 0.5, 0.93] {
                    let (a, b) = (binomial_tails(k, n, p), tails_by_logs(k, n, p));
                    for (x, y) in [(a.0, b.0), (a.1, b.1), (a.2, b.2)] {
                        assert!((x - y).abs() <= 1e-12 * y.max(1e-300) + 1e-300, "k {k} n {n} p {p}: {a:?} against {b:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn lapsed_rule_both_sides() {
        assert!(!is_lapsed(90.0, Some(10.0)));
        assert!(is_lapsed(90.1, Some(10.0)));
        assert!(!is_lapsed(150.0, Some(50.0)));
        assert!(is_lapsed(150.1, Some(50.0)));
        assert!(!is_lapsed(180.0, None));
        assert!(is_lapsed(180.1, None));
    }
}
