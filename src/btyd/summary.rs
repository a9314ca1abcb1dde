//! From transactions to recency–frequency–monetary summaries.
//!
//! Conventions (the ones of the BTYD literature, which reproduce the published CDNOW summary):
//!
//! * A purchase's **day** is `floor(at_days)`. All purchases of one customer on one day are one
//!   purchase whose amount is the day's total.
//! * The **calibration period** holds the transactions with `at_days <= calibration_end_days`.
//!   With whole-day timestamps, pass the day number of the last calibration day: a purchase on
//!   that day counts, and `T` runs from the first purchase day to that day.
//! * `frequency` `x` = calibration purchase days − 1 (repeat purchase days);
//!   `recency` `t_x` = (last purchase day − first purchase day) / unit;
//!   `T` = (`calibration_end_days` − first purchase day) / unit.
//! * `monetary_value` = the mean of the repeat purchase days' totals (the first purchase is
//!   left out, as in Fader & Hardie's spend model); `None` when `x = 0`.
//! * A customer whose first purchase falls after the calibration end is not part of the
//!   calibration cohort and gets no summary.
//! * Summaries come out in the order in which customers first appear in the input.

use crate::hash::IdMap;

use super::error::BtydError;
use super::observation::{Observation, SpendObservation};

/// One purchase.
#[derive(Debug, Clone, PartialEq)]
pub struct Transaction {
    /// The customer's id.
    pub customer_id: String,
    /// When, in days since an epoch of the caller's choice (fractions of a day allowed).
    pub at_days: f64,
    /// What was spent.
    pub amount: f64,
}

/// The unit in which recency and age are expressed (and so the rates the models estimate).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimeUnit {
    /// One day.
    Day,
    /// Seven days.
    Week,
    /// An average month: 365.25 / 12 days.
    Month,
    /// A custom number of days (positive and finite).
    Days(f64),
}

impl TimeUnit {
    /// The unit's length in days; an error for a custom length that is not positive and finite.
    pub fn days(&self) -> Result<f64, BtydError> {
        let d = match *self {
            TimeUnit::Day => 1.0,
            TimeUnit::Week => 7.0,
            TimeUnit::Month => 365.25 / 12.0,
            TimeUnit::Days(d) => d,
        };
        if d.is_finite() && d > 0.0 {
            Ok(d)
        } else {
            Err(BtydError::InvalidArgument {
                name: "time unit",
                value: d,
                requirement: "must be a positive and finite number of days",
            })
        }
    }
}

/// A customer's calibration summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// The customer's id.
    pub id: String,
    /// `x`: repeat purchase days in the calibration period.
    pub frequency: u32,
    /// `t_x`: last purchase day minus first purchase day, in the unit.
    pub recency: f64,
    /// `T`: calibration end minus first purchase day, in the unit.
    pub t: f64,
    /// Mean spend of the repeat purchase days; `None` when `frequency` is 0.
    pub monetary_value: Option<f64>,
}

impl Summary {
    /// The `(x, t_x, T)` triple the purchase models use.
    pub fn observation(&self) -> Observation {
        Observation { x: self.frequency, t_x: self.recency, t: self.t }
    }

    /// The `(x, m_x)` pair the spend model uses; `None` for a customer without repeat purchase.
    pub fn spend(&self) -> Option<SpendObservation> {
        match self.monetary_value {
            Some(m) if self.frequency > 0 => Some(SpendObservation { x: self.frequency, mean_spend: m }),
            _ => None,
        }
    }
}

/// A calibration summary with what the same customer did in a holdout period after it.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldoutSummary {
    /// The calibration summary.
    pub summary: Summary,
    /// Purchase days in the holdout period (`calibration_end < at_days <= holdout_end`) that are
    /// not already calibration purchase days.
    pub holdout_frequency: u32,
    /// Spend in the holdout period.
    pub holdout_amount: f64,
    /// Length of the holdout period in the unit.
    pub holdout_length: f64,
}

/// The `(x, t_x, T)` triples of a slice of summaries, in order.
pub fn observations(summaries: &[Summary]) -> Vec<Observation> {
    summaries.iter().map(Summary::observation).collect()
}

/// The `(x, m_x)` pairs of the repeat buyers among a slice of summaries, in order.
pub fn spend_observations(summaries: &[Summary]) -> Vec<SpendObservation> {
    summaries.iter().filter_map(Summary::spend).collect()
}

/// Summarises one customer's purchases `(at_days, amount)`, sorted by time, into a calibration
/// summary with an empty id (the conventions of [`summarize`]); `None` when the first purchase
/// falls after the calibration end. Costs one pass, no allocation.
pub fn summarize_one(purchases: impl Iterator<Item = (f64, f64)>, calibration_end: f64, unit_days: f64) -> Option<Summary> {
    let mut first_day = f64::NAN;
    let mut last_day = f64::NAN;
    let mut previous_day = f64::NAN;
    let mut days = 0u32;
    let mut repeat_spend = 0.0;
    for (at, amount) in purchases {
        if at > calibration_end {
            break;
        }
        let day = at.floor();
        if days == 0 {
            first_day = day;
        }
        if day != previous_day {
            days = days.saturating_add(1);
            last_day = day;
        }
        previous_day = day;
        if day != first_day {
            repeat_spend += amount;
        }
    }
    if days == 0 {
        return None;
    }
    let frequency = days - 1;
    Some(Summary {
        id: String::new(),
        frequency,
        recency: (last_day - first_day) / unit_days,
        t: (calibration_end - first_day) / unit_days,
        monetary_value: (frequency > 0).then(|| repeat_spend / f64::from(frequency)),
    })
}

/// Summarises transactions into calibration summaries (see the module docs for conventions).
pub fn summarize(
    transactions: &[Transaction],
    calibration_end_days: f64,
    unit: TimeUnit,
) -> Result<Vec<Summary>, BtydError> {
    let rows = summarize_impl(transactions, calibration_end_days, calibration_end_days, unit)?;
    Ok(rows.into_iter().map(|h| h.summary).collect())
}

/// Summarises transactions into calibration summaries plus the purchase days of a holdout
/// period that runs from `calibration_end_days` (excluded) to `holdout_end_days` (included).
pub fn summarize_with_holdout(
    transactions: &[Transaction],
    calibration_end_days: f64,
    holdout_end_days: f64,
    unit: TimeUnit,
) -> Result<Vec<HoldoutSummary>, BtydError> {
    if holdout_end_days.is_nan() || holdout_end_days < calibration_end_days || !holdout_end_days.is_finite() {
        return Err(BtydError::InvalidArgument {
            name: "holdout end",
            value: holdout_end_days,
            requirement: "must be finite and not before the calibration end",
        });
    }
    summarize_impl(transactions, calibration_end_days, holdout_end_days, unit)
}

/// One transaction reduced to what the summary needs.
struct Row {
    customer: usize,
    day: f64,
    at: f64,
    amount: f64,
}

fn summarize_impl(
    transactions: &[Transaction],
    calibration_end: f64,
    holdout_end: f64,
    unit: TimeUnit,
) -> Result<Vec<HoldoutSummary>, BtydError> {
    let unit_days = unit.days()?;
    if !calibration_end.is_finite() {
        return Err(BtydError::InvalidArgument {
            name: "calibration end",
            value: calibration_end,
            requirement: "must be finite",
        });
    }
    let mut index: IdMap<&str, usize> = IdMap::default();
    let mut ids: Vec<&str> = Vec::new();
    let mut rows: Vec<Row> = Vec::with_capacity(transactions.len());
    for tr in transactions {
        if !tr.at_days.is_finite() {
            return Err(BtydError::NonFinite {
                field: "purchase time",
                value: tr.at_days,
                customer: tr.customer_id.clone(),
            });
        }
        if !tr.amount.is_finite() {
            return Err(BtydError::NonFinite { field: "amount", value: tr.amount, customer: tr.customer_id.clone() });
        }
        let next = ids.len();
        let customer = *index.entry(tr.customer_id.as_str()).or_insert(next);
        if customer == next {
            ids.push(tr.customer_id.as_str());
        }
        rows.push(Row { customer, day: tr.at_days.floor(), at: tr.at_days, amount: tr.amount });
    }
    crate::sort::sort_by(&mut rows, |p, q| p.customer.cmp(&q.customer).then(p.at.total_cmp(&q.at)));

    let holdout_length = (holdout_end - calibration_end) / unit_days;
    let mut out = Vec::new();
    for own in rows.chunk_by(|p, q| p.customer == q.customer) {
        let id = own.first().and_then(|r| ids.get(r.customer)).copied().unwrap_or_default();
        if let Some(h) = summarize_customer(id, own, calibration_end, holdout_end, unit_days, holdout_length) {
            out.push(h);
        }
    }
    Ok(out)
}

/// Summarises one customer's rows, sorted by time; `None` when their first purchase falls after
/// the calibration end.
fn summarize_customer(
    id: &str,
    rows: &[Row],
    calibration_end: f64,
    holdout_end: f64,
    unit_days: f64,
    holdout_length: f64,
) -> Option<HoldoutSummary> {
    let first = rows.first().filter(|r| r.at <= calibration_end)?;
    let first_day = first.day;
    // Calibration purchase days with their totals; rows are sorted, so equal days are adjacent.
    let mut last_day = first_day;
    let mut days = 0u32;
    let mut repeat_spend = 0.0;
    let mut holdout_days = 0u32;
    let mut holdout_amount = 0.0;
    let mut previous_day = f64::NAN;
    for r in rows {
        let new_day = r.day != previous_day;
        previous_day = r.day;
        if r.at <= calibration_end {
            if new_day {
                days = days.saturating_add(1);
                last_day = r.day;
            }
            if r.day != first_day {
                repeat_spend += r.amount;
            }
        } else if r.at <= holdout_end {
            // A day already counted in the calibration period is not a new purchase.
            if new_day && r.day != last_day {
                holdout_days = holdout_days.saturating_add(1);
            }
            holdout_amount += r.amount;
        }
    }
    let frequency = days.saturating_sub(1);
    let monetary_value = if frequency > 0 { Some(repeat_spend / f64::from(frequency)) } else { None };
    Some(HoldoutSummary {
        summary: Summary {
            id: id.to_string(),
            frequency,
            recency: (last_day - first_day) / unit_days,
            t: (calibration_end - first_day) / unit_days,
            monetary_value,
        },
        holdout_frequency: holdout_days,
        holdout_amount,
        holdout_length,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(id: &str, at: f64, amount: f64) -> Transaction {
        Transaction { customer_id: id.into(), at_days: at, amount }
    }

    #[test]
    fn merges_same_day_purchases_and_averages_repeat_days() {
        let data = vec![
            tr("a", 0.2, 10.0),
            tr("b", 3.0, 5.0),
            tr("a", 7.5, 4.0),
            tr("a", 7.9, 6.0),
            tr("a", 14.0, 30.0),
            tr("a", 30.0, 99.0), // holdout
            tr("c", 25.0, 1.0),  // first purchase after the calibration end
        ];
        let s = summarize(&data, 21.0, TimeUnit::Week).unwrap_or_default();
        assert_eq!(s.len(), 2);
        let a = &s[0];
        assert_eq!((a.id.as_str(), a.frequency), ("a", 2));
        assert!((a.recency - 2.0).abs() < 1e-12);
        assert!((a.t - 3.0).abs() < 1e-12);
        assert_eq!(a.monetary_value, Some(20.0));
        let b = &s[1];
        assert_eq!((b.frequency, b.recency, b.monetary_value), (0, 0.0, None));
        assert!((b.t - 18.0 / 7.0).abs() < 1e-12);
        let h = summarize_with_holdout(&data, 21.0, 35.0, TimeUnit::Day).unwrap_or_default();
        assert_eq!(h[0].holdout_frequency, 1);
        assert_eq!(h[0].holdout_amount, 99.0);
        assert_eq!(h[0].holdout_length, 14.0);
        assert_eq!(h[0].summary.t, 21.0);
    }

    #[test]
    fn one_customer_as_in_a_portfolio() {
        let rows = [(0.2, 10.0), (7.5, 4.0), (7.9, 6.0), (14.0, 30.0), (30.0, 99.0)];
        let data: Vec<Transaction> = rows.iter().map(|(t, a)| tr("a", *t, *a)).collect();
        let all = summarize(&data, 21.0, TimeUnit::Week).unwrap_or_default();
        let one = summarize_one(rows.iter().copied(), 21.0, 7.0);
        assert_eq!(one.as_ref().map(Summary::observation), all.first().map(Summary::observation));
        assert_eq!(one.and_then(|s| s.monetary_value), Some(20.0));
        assert_eq!(summarize_one([(25.0, 1.0)].into_iter(), 21.0, 7.0), None);
    }

    #[test]
    fn rejects_bad_input() {
        assert!(summarize(&[tr("a", f64::NAN, 1.0)], 10.0, TimeUnit::Day).is_err());
        assert!(summarize(&[tr("a", 1.0, f64::INFINITY)], 10.0, TimeUnit::Day).is_err());
        assert!(summarize(&[tr("a", 1.0, 1.0)], f64::NAN, TimeUnit::Day).is_err());
        assert!(summarize(&[tr("a", 1.0, 1.0)], 10.0, TimeUnit::Days(0.0)).is_err());
        assert!(summarize_with_holdout(&[tr("a", 1.0, 1.0)], 10.0, 5.0, TimeUnit::Day).is_err());
        assert_eq!(summarize(&[], 10.0, TimeUnit::Month).map(|v| v.len()), Ok(0));
        assert!((TimeUnit::Month.days().unwrap_or(0.0) - 30.4375).abs() < 1e-12);
    }
}
