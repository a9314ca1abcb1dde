//! Across customers: the worklist, the owners' scorecards and the portfolio figures.

use crate::calendar::Calendar;
use crate::input::store::Store;
use crate::input::strings::Own;
use crate::score::health::Band;
use crate::score::neglect::{Evidence, FlagCore};
use crate::score::risk::Level;
use crate::score::stage::Stage;
use crate::score::value::Tier;
use crate::time::Instant;
use serde::Serialize;
use crate::keyed::Keyed;

pub mod parts;

/// One entry of the worklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkItem {
    /// The customer.
    pub customer_id: String,
    /// Its name.
    pub customer_name: Option<String>,
    /// Who should act.
    pub owner: Option<String>,
    /// The action's kind.
    pub kind: &'static str,
    /// What to do.
    pub message: String,
    /// The row it is about.
    pub evidence: Option<Evidence>,
    /// Health points gained when done.
    pub uplift: f64,
    /// The customer's priority (risk × value).
    pub priority: f64,
    /// The action's severity.
    pub severity: crate::input::records::Severity,
    /// Business days overdue, for flag actions.
    pub overdue: Option<f64>,
    /// The customer's value tier.
    pub tier: crate::score::value::Tier,
    /// The customer's health score.
    pub health: f64,
    /// Its band.
    pub band: Band,
    /// The customer's risk level.
    pub risk: Level,
}

/// One owner's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerCard {
    /// The owner (null: customers and flags without one).
    pub owner: Option<String>,
    /// Customers owned.
    pub customers: usize,
    /// Open, not snoozed flags owned, by kind.
    pub open_flags: Keyed<&'static str, usize>,
    /// Snoozed flags owned.
    pub snoozed_flags: usize,
    /// Sum of the business days overdue of those open flags.
    pub overdue_days: f64,
    /// Of the promises owned that were due by `asOf`, the share not kept by their due date
    /// (kept late counts as broken); null without any.
    pub broken_promise_rate: Option<f64>,
    /// Promises due by `asOf`.
    pub promises_due: usize,
    /// Median business days from opening to resolution of the complaints of the customers
    /// owned, resolved by `asOf`; null without any.
    pub median_complaint_resolution_days: Option<f64>,
    /// Share of the customers owned at high or critical risk.
    pub high_risk_share: Option<f64>,
}

/// What the portfolio figures need of one customer.
pub struct Facts<'a> {
    /// The customer's slot.
    pub slot: usize,
    /// Its owner.
    pub owner: Option<Own>,
    /// Risk level.
    pub level: Level,
    /// Health band.
    pub band: Band,
    /// Value tier.
    pub tier: Tier,
    /// Stage.
    pub stage: Stage,
    /// Trailing-12-month revenue (as reported, rounded).
    pub revenue12m: f64,
    /// CLV.
    pub clv: Option<f64>,
    /// Open flags.
    pub flags: &'a [FlagCore],
}

/// The owners' scorecards, by owner name (null last).
pub fn owners<'a>(store: &Store, cal: &Calendar, as_of: Instant, customers: impl Iterator<Item = Facts<'a>>) -> Vec<OwnerCard> {
    parts::OwnersPart::of(store, cal, as_of, customers).cards()
}

/// One day of the satisfaction series.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DailyPoint {
    /// The local date.
    pub date: String,
    /// NPS (% promoters − % detractors) of the answers in the 90 days up to that day.
    pub nps: Option<f64>,
    /// CSAT % (share of 4s and 5s).
    pub csat: Option<f64>,
    /// Mean CES.
    pub ces: Option<f64>,
    /// Answers in the window, all kinds.
    pub responses: usize,
    /// Complaints open at that instant.
    pub open_complaints: usize,
}

/// Value at risk: what the customers at high or critical risk bring.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueAtRisk {
    /// How many customers.
    pub customers: usize,
    /// Their trailing-12-month revenue.
    pub revenue12m: f64,
    /// Their CLV, when a buying model is fitted.
    pub clv: Option<f64>,
}

/// Portfolio figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Portfolio {
    /// Customers by band, tier, stage and risk level (every key present).
    pub counts: Keyed<&'static str, Keyed<&'static str, usize>>,
    /// Value at risk.
    pub value_at_risk: ValueAtRisk,
    /// One point per day over the last 90 days, ascending, the last on `asOf`'s day.
    pub daily: Vec<DailyPoint>,
}

/// Days in the daily series, and in each point's trailing window.
pub const DAILY_DAYS: i64 = 90;

/// The daily series: 90 points, each at the clock time of `asOf` on its day, over the
/// trailing 90 days.
pub fn daily(store: &Store, cal: &Calendar, as_of: Instant) -> Vec<DailyPoint> {
    parts::DailyPart::of(store, as_of).points(cal, as_of)
}

/// Counts and value at risk.
pub fn portfolio<'a>(customers: impl Iterator<Item = Facts<'a>>, daily: Vec<DailyPoint>) -> Portfolio {
    parts::PortfolioPart::of(customers).figures(daily)
}

mod erased {
    use crate::score::{health::Band, risk::Level, stage::Stage, value::Tier};

    pub trait Named {
        fn name(&self) -> &'static str;
    }
    impl Named for Band {
        fn name(&self) -> &'static str {
            match self {
                Band::Green => "green",
                Band::Amber => "amber",
                Band::Red => "red",
            }
        }
    }
    impl Named for Tier {
        fn name(&self) -> &'static str {
            match self {
                Tier::A => "A",
                Tier::B => "B",
                Tier::C => "C",
            }
        }
    }
    impl Named for Stage {
        fn name(&self) -> &'static str {
            match self {
                Stage::Awareness => "awareness",
                Stage::Exploration => "exploration",
                Stage::Expansion => "expansion",
                Stage::Commitment => "commitment",
                Stage::Dissolution => "dissolution",
            }
        }
    }
    impl Named for Level {
        fn name(&self) -> &'static str {
            match self {
                Level::Low => "low",
                Level::Medium => "medium",
                Level::High => "high",
                Level::Critical => "critical",
            }
        }
    }
}
