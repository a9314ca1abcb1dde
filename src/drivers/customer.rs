//! The drivers as they hit one customer: the kinds of event it had in the 365 days up to
//! `asOf`, each with its count and what the portfolio's driver says that costs.

use super::{events, Driver, Drivers};
use crate::score::r2;
use crate::score::value::Tier;
use crate::score::view::Ctx;
use crate::sort::key_i64;
use crate::time::DAY_MS;
use serde::Serialize;

/// One driver as it hits one customer.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerDriver {
    /// The event kind, as the portfolio's driver names it.
    pub event: String,
    /// `nps`, `csat` or `ces`.
    pub survey: &'static str,
    /// This customer's events of the kind in the last 365 days.
    pub events: u32,
    /// The portfolio's effect per event, with its interval and significance.
    pub effect: f64,
    /// Low end of the 95 % interval.
    pub low: f64,
    /// High end.
    pub high: f64,
    /// As the portfolio's driver.
    pub significant: bool,
    /// effect × this customer's events.
    pub cost: f64,
}

/// The drivers whose events hit customer `c` (tier `tier` at `asOf`) in the last 365 days,
/// ranked by cost (the most costly first), ties by event and survey.
pub fn of_customer(cx: &Ctx, c: usize, tier: Tier, all: &Drivers) -> Vec<CustomerDriver> {
    let v = cx.view(c);
    let mut evs = Vec::new();
    events::collect(cx, &v, tier, &mut evs);
    let since = key_i64(cx.as_of - 365 * DAY_MS);
    let mut counts = vec![0u32; events::KINDS];
    for (t, k) in evs {
        if t > since {
            counts[k as usize] += 1;
        }
    }
    let mut out: Vec<CustomerDriver> = all
        .drivers
        .iter()
        .filter_map(|d: &Driver| {
            let k = (0..events::KINDS).find(|k| events::name(*k) == d.event)?;
            let n = counts[k];
            (n > 0).then(|| CustomerDriver {
                event: d.event.clone(),
                survey: d.survey,
                events: n,
                effect: d.effect,
                low: d.low,
                high: d.high,
                significant: d.significant,
                cost: r2(d.effect * f64::from(n)) + 0.0,
            })
        })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| a.cost.total_cmp(&b.cost).then_with(|| a.event.cmp(&b.event)).then_with(|| a.survey.cmp(b.survey)));
    out
}
