//! Satisfaction drivers: which operational events move a customer's next survey answer, by how
//! much, and what they cost the portfolio.
//!
//! # Method
//!
//! * **Pairs.** Per customer and per survey (`nps`, `csat`, `ces`), the answers known at `asOf`
//!   in time order; every two consecutive answers `(a_i, a_{i+1})` are one observation, with
//!   `y = score_{i+1} − score_i` and the span `(a_i.at, a_{i+1}.at]`.
//! * **Events.** `x_k` is the number of events of kind `k` (see *Events* below) whose
//!   instant lies in the span. Events before a customer's first answer or after its last are in
//!   no span: no next answer observed them. Events after `asOf` have not happened.
//! * **Regression.** `y` is regressed on every `x_k` and an intercept by ordinary least
//!   squares. Why within-customer changes: the difference removes the customer's own level, so
//!   customers who are always unhappy (and may also have more incidents) do not make events
//!   look harmful; the intercept absorbs the general drift of answers. Why a regression rather
//!   than a before/after mean per kind: events co-occur (a delivery both late and damaged, two
//!   deliveries between answers), and a per-kind mean credits one kind with the others' harm;
//!   the regression separates them.
//! * **Complaints.** Every complaint has one severity and may have a category, so the
//!   category and severity columns describe the same complaints and are collinear together.
//!   Two models are fitted per survey, both with every non-complaint kind and with
//!   `complaints.firstResponse.late` and `complaints.resolution.late`: one adds the category
//!   kinds, the other the severity kinds. The non-complaint kinds, the two late kinds and the
//!   categories are reported from the first, the severities from the second.
//! * **Intervals.** 95 % intervals from customer-clustered sandwich standard errors (CR1:
//!   `G/(G−1) · (N−1)/(N−K)`) and Student t with `G − 1` degrees of freedom, `G` the customers
//!   with pairs: a customer's answers are not independent of each other. Analytic, so the result
//!   is deterministic. When they cannot be computed (fewer than two such customers, or no
//!   residual degrees of freedom) `low = high = effect` and the driver is not significant.
//! * **Reported.** A kind with no event in any span of a survey is not reported; a kind whose
//!   column is (up to a relative tolerance of 1e-9 on its Cholesky pivot) a combination of the
//!   intercept and the kinds before it cannot be separated and is listed in `inseparable` as
//!   `event/survey`. A driver is `significant` when its interval, as reported (rounded
//!   outwards to two decimals, so that it holds the computed one), excludes 0 and at least
//!   [`MIN_PAIRS`] pairs hold such an event. For NPS, the changes of the promoter (9–10) and
//!   detractor (0–6) indicators are regressed on the same design (`promoters`, `detractors`,
//!   in share points 0–1).
//! * **Cost.** `effect × events`: the change of next answers the portfolio's events of that
//!   kind caused. Drivers are ranked by cost ascending (the most costly first), ties by event
//!   name, then survey.
//!
//! Effects are in each survey's own points: NPS 0–10, CSAT 1–5, CES 1–7. CES is the "easy to
//! handle" scale (higher is easier, as in [`normalise`](crate::score::satisfaction::normalise)),
//! so a negative CES effect means more effort.
//!
//! # Events
//!
//! | kind | event | instant |
//! |---|---|---|
//! | `deliveries.late` | delivered after `promisedAt`; or not delivered and `promisedAt` passed | `deliveredAt`; `promisedAt` |
//! | `deliveries.problem:<p>` | a `problem`, one kind per value (`late` among them, apart from the dates) | `deliveredAt`, else `promisedAt` |
//! | `complaints.category:<c>` | a complaint with a category | `openedAt` |
//! | `complaints.severity:<s>` | a complaint | `openedAt` |
//! | `complaints.firstResponse.late` | no first response (a resolution counts as one) by `openedAt` + `complaintFirstResponseWithin` business days | that due instant |
//! | `complaints.resolution.late` | not resolved by `openedAt` + `complaintResolveWithin[severity]` business days | that due instant |
//! | `promises.broken` | not kept by `dueAt` | `dueAt` |
//! | `contacts.unreturned` | a conversation (inbound contacts needing a return since the last outbound one, as neglect groups them) not returned within `returnContactWithin` business days of its oldest contact | that due instant |
//! | `contacts.outreachGap` | a gap between outbound contacts (from the first known date; the last open until `asOf`) longer than `outreachEvery[tier]` calendar days, the tier being the customer's at `asOf` | the start of the gap + the cadence |
//!
//! Deadlines are those of [`neglect`](crate::score::neglect), on the policy's business-day
//! calendar; something done exactly at its deadline is on time. Without a `contacts` table there
//! are no contact events.
//!
//! The work is linear in rows: each customer's events are sorted once and counted per span by
//! one walk, and the regressions are two passes over the pairs.

mod customer;
mod events;
mod pairs;
mod regression;

use crate::input::records::FeedbackKind;
use crate::score::r2;
use crate::score::value::Ranking;
use crate::score::view::Ctx;
use events::{CATEGORY, FIRST_RESPONSE_LATE, KINDS, RESOLUTION_LATE, SEVERITY};
use regression::Est;

pub use customer::{of_customer, CustomerDriver};
use serde::Serialize;

/// Pairs a driver needs (pairs whose span holds such an event) to be significant.
pub const MIN_PAIRS: u32 = 30;

/// The method in one line, as reported.
pub const METHOD: &str = "within-customer change of the next answer regressed on event counts per span (OLS with intercept; \
     complaint categories and severities in separate models; customer-clustered CR1 95% intervals, Student t)";

/// The satisfaction drivers of a portfolio.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Drivers {
    /// How they were estimated, in one line.
    pub method: &'static str,
    /// Pairs a driver needs to be significant ([`MIN_PAIRS`]).
    pub min_pairs: u32,
    /// Answer pairs used per survey.
    pub pairs: Pairs,
    /// Every estimated driver, most costly first.
    pub drivers: Vec<Driver>,
    /// `event/survey` kinds that had events but could not be separated from others (collinear):
    /// not estimated. Sorted.
    pub inseparable: Vec<String>,
}

/// Answer pairs used per survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pairs {
    /// NPS.
    pub nps: u32,
    /// CSAT.
    pub csat: u32,
    /// CES.
    pub ces: u32,
}

/// An effect on a share (NPS promoters or detractors), in share points 0–1, 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Share {
    /// Mean change of the indicator per event.
    pub effect: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// One event kind's effect on the next answer of one survey.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    /// The event kind: `deliveries.late`, `deliveries.problem:damaged`,
    /// `complaints.category:billing`, `complaints.severity:high`,
    /// `complaints.firstResponse.late`, `complaints.resolution.late`, `promises.broken`,
    /// `contacts.unreturned`, `contacts.outreachGap`.
    pub event: String,
    /// `nps`, `csat` or `ces`.
    pub survey: &'static str,
    /// Events of this kind inside spans between two answers of this survey.
    pub events: u32,
    /// Answer pairs whose span holds at least one such event.
    pub pairs: u32,
    /// Mean change of the next answer per event, in the survey's own points, 2 decimals.
    pub effect: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
    /// The interval excludes 0 and `pairs` ≥ `minPairs`.
    pub significant: bool,
    /// `effect × events`, the portfolio total, 2 decimals.
    pub cost: f64,
    /// NPS only: the effect on the promoter share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promoters: Option<Share>,
    /// NPS only: the effect on the detractor share.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detractors: Option<Share>,
}

fn r4(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10_000.0).round() / 10_000.0
    } else {
        0.0
    }
}

/// The kinds outside complaints, then the two complaint deadlines: in both models.
fn common() -> impl Iterator<Item = usize> {
    (0..KINDS).filter(|k| !(CATEGORY..=RESOLUTION_LATE).contains(k)).chain([FIRST_RESPONSE_LATE, RESOLUTION_LATE])
}

/// Every driver, ranked by cost (most negative first), deterministic.
pub fn compute(cx: &Ctx, ranking: &Ranking) -> Drivers {
    let d = cx.data();
    let mut all: [pairs::Pairs; 3] = Default::default();
    let mut evs: Vec<(u64, u32)> = Vec::new();
    // Customers in id order, so that the sums (and the last bits of every figure) do not depend
    // on the order of the input.
    let mut order: Vec<usize> = (0..cx.store.slots())
        .filter(|c| d.customers[*c].alive && cx.store.rows_of::<crate::input::records::Feedback>(*c).len() >= 2)
        .collect();
    crate::sort::sort_by(&mut order, |a, b| d.customer_id(*a).cmp(d.customer_id(*b)));
    for c in order {
        let v = cx.view(c);
        if v.feedback.len() < 2 {
            continue;
        }
        evs.clear();
        events::collect(cx, &v, ranking.tier(c), &mut evs);
        crate::sort::sort_pairs(&mut evs);
        pairs::add(&mut all, c as u32, d, v.feedback, &evs);
    }

    let category_model: Vec<usize> = common().chain(CATEGORY..SEVERITY).collect();
    let severity_model: Vec<usize> = common().chain(SEVERITY..FIRST_RESPONSE_LATE).collect();
    let mut drivers = Vec::new();
    let mut inseparable = Vec::new();
    for (s, kind) in pairs::SURVEYS.iter().enumerate() {
        let p = &all[s];
        if p.sample.len() == 0 {
            continue;
        }
        let responses = if *kind == FeedbackKind::Nps { 3 } else { 1 };
        let mut report = |keys: &[usize], fit: &regression::Fit, only: &dyn Fn(usize) -> bool| {
            for (j, &k) in keys.iter().enumerate() {
                if !only(k) || p.events[k] == 0 {
                    continue;
                }
                match fit.cols[j] {
                    Est::Absent => {}
                    Est::Collinear => inseparable.push(format!("{}/{}", events::name(k), kind.as_str())),
                    Est::Fitted { est, se } => drivers.push(driver(k, *kind, p, est, se, fit.crit)),
                }
            }
        };
        let fit = regression::fit(&p.sample, &category_model, responses);
        report(&category_model, &fit, &|_| true);
        if (SEVERITY..FIRST_RESPONSE_LATE).any(|k| p.events[k] > 0) {
            let fit = regression::fit(&p.sample, &severity_model, responses);
            report(&severity_model, &fit, &|k| (SEVERITY..FIRST_RESPONSE_LATE).contains(&k));
        }
    }
    crate::sort::sort_by(&mut drivers, |a: &Driver, b: &Driver| {
        a.cost.total_cmp(&b.cost).then_with(|| a.event.cmp(&b.event)).then_with(|| a.survey.cmp(b.survey))
    });
    crate::sort::sort_strings(&mut inseparable);
    Drivers {
        method: METHOD,
        min_pairs: MIN_PAIRS,
        pairs: Pairs { nps: all[0].sample.len() as u32, csat: all[1].sample.len() as u32, ces: all[2].sample.len() as u32 },
        drivers,
        inseparable,
    }
}

/// A fitted kind as reported.
fn driver(k: usize, kind: FeedbackKind, p: &pairs::Pairs, est: [f64; 3], se: Option<[f64; 3]>, crit: f64) -> Driver {
    let interval = |r: usize| match se {
        Some(se) => (est[r] - crit * se[r], est[r] + crit * se[r]),
        None => (est[r], est[r]),
    };
    let (low, high) = interval(0);
    let events = p.events[k];
    let pairs = p.pairs[k];
    let share = |r: usize| {
        let (lo, hi) = interval(r);
        Some(Share { effect: r4(est[r]), low: r4(lo), high: r4(hi) })
    };
    let nps = kind == FeedbackKind::Nps;
    // The interval as shown, rounded outwards (it holds the computed one), decides: a driver
    // shown as −1.26…0 is not called significant.
    let plain = |x: f64| if x.is_finite() { x + 0.0 } else { 0.0 };
    let (low, high) = (plain((low * 100.0).floor() / 100.0), plain((high * 100.0).ceil() / 100.0));
    Driver {
        event: events::name(k),
        survey: kind.as_str(),
        events,
        pairs,
        effect: r2(est[0]) + 0.0,
        low,
        high,
        significant: se.is_some() && pairs >= MIN_PAIRS && (low > 0.0 || high < 0.0),
        cost: r2(est[0] * f64::from(events)) + 0.0,
        promoters: if nps { share(1) } else { None },
        detractors: if nps { share(2) } else { None },
    }
}
