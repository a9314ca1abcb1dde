//! What a bucket tells the tenant about each of its customers: the figures that are ranked,
//! scaled or fitted across the whole portfolio.

use crate::analyze::Options;
use crate::btyd::Summary;
use crate::input::records::Order;
use crate::input::store::Store;
use crate::score::value::{self, RfmKey};
use crate::score::view::Ctx;
use crate::time::Instant;

/// One customer's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    /// Its id.
    pub id: String,
    /// The index of the row that brought it (the tenant's input order).
    pub origin: u32,
    /// Trailing revenue at `asOf`.
    pub revenue_now: f64,
    /// Trailing revenue 30 days before.
    pub revenue_then: f64,
    /// Trailing revenue at each of the cut instants given to [`facts`].
    pub revenue_at: Vec<f64>,
    /// Its RFM values, when it is a buyer.
    pub rfm: Option<RfmKey>,
    /// Its buying summary (for the fit).
    pub summary: Option<Summary>,
}

/// The facts of every customer of `store` at `options.as_of`, with trailing revenue at `then`
/// (30 days back) and at `instants` (the state changes' instants).
pub fn facts(store: &Store, options: &Options, then: Instant, instants: &[Instant]) -> Vec<Facts> {
    // The trailing sums walk the instants in ascending order.
    let mut up: Vec<usize> = (0..instants.len()).collect();
    crate::sort::sort_by(&mut up, |a, b| instants[*a].cmp(&instants[*b]));
    let ascending: Vec<Instant> = up.iter().map(|k| instants[*k]).collect();
    let cal = options.policy.calendar();
    let now = Ctx::new(store, &options.policy, &cal, options.as_of);
    let past = Ctx::new(store, &options.policy, &cal, then);
    let d = &store.data;
    let mut mine: Vec<(Instant, f64)> = Vec::new();
    let mut out = Vec::new();
    for c in 0..store.slots() {
        if !d.customers[c].alive {
            continue;
        }
        let v = now.view(c);
        let own = value::own(&v);
        mine.clear();
        mine.extend(store.rows_of::<Order>(c).iter().map(|o| (d.orders[*o as usize].at, d.orders[*o as usize].amount)));
        let mut revenue_at = vec![0.0; instants.len()];
        crate::score::cut::trailing_revenues(&mine, &ascending, |k, r| revenue_at[up[k]] = r);
        out.push(Facts {
            id: d.customer_id(c).to_owned(),
            origin: store.origin.get(c).map_or(0, |o| o.0),
            revenue_now: own.revenue12m,
            revenue_then: value::own(&past.view(c)).revenue12m,
            revenue_at,
            rfm: value::rfm_key(&own, options.as_of),
            summary: crate::models::customer_summary(&v, options.policy.offset_secs),
        });
    }
    out
}
