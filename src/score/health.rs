//! Health: four components 0–100, their weighted score and its band.
//!
//! | component | how it is scored |
//! |---|---|
//! | satisfaction | the satisfaction `index` (60 when no feedback is known), minus 4 × the severity weight of each open complaint (low 1, medium 2, high 4, critical 8) and 1 × the weighted complaints of the trailing 12 months, the deduction capped at 40 |
//! | buying | by status: growing 95, steady 85, new 75, never 50, slowing 40, lapsed 10; averaged with 100 × P(alive) when a buying model is fitted |
//! | attention | 100 minus, for each open and not snoozed `unreturned_contact`, `broken_promise`, `no_outreach` and `no_feedback` flag, its severity (low 5, medium 10, high 20, critical 30) plus its overdue business days (at most 10) |
//! | service | the same over the complaint and delivery flags |
//!
//! The score is the weighted mean of the components (policy `weights`); the band is green at or
//! above `bands.green`, amber at or above `bands.amber`, red below. Snoozed flags do not
//! count: the snooze is a known reason to wait.

use super::buying::{Buying, Status};
use super::neglect::FlagCore;
use super::r2;
use super::satisfaction::{severity_weight, Satisfaction};
use crate::input::records::{NeglectKind, Severity, Table};
use crate::num::Num;
use crate::policy::Policy;
use serde::Serialize;

/// A health band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// Healthy.
    Green,
    /// Watch.
    Amber,
    /// Act.
    Red,
}

/// One health component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// 0–100.
    pub score: f64,
    /// Its weight (normalised to sum 1; 0 when not evaluated).
    pub weight: f64,
    /// Whether its data was recorded: a component whose tables are all missing from the export
    /// is left out, its weight spread over the others.
    pub evaluated: bool,
    /// The facts that set it.
    pub facts: Vec<String>,
}

/// The four components.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Components {
    pub satisfaction: Component,
    pub buying: Component,
    pub attention: Component,
    pub service: Component,
}

/// The health part of a customer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    /// 0–100.
    pub score: f64,
    /// Its band.
    pub band: Band,
    /// The components.
    pub components: Components,
    /// The score minus the score of the same analysis at `asOf` − 30 days (null when the
    /// customer was unknown then).
    pub trend: Option<f64>,
    /// The trend split into the components' contributions (null with the trend).
    #[serde(rename = "trendComponents")]
    pub trend_components: Option<super::attribution::Contributions>,
    /// The rows behind the trend ([`super::attribution`]).
    #[serde(rename = "trendCauses")]
    pub trend_causes: Vec<super::attribution::Cause>,
}

/// Health as scored: the score, its band and the four component scores (satisfaction, buying,
/// attention, service), without the facts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HealthCore {
    /// 0–100.
    pub score: f64,
    /// Its band.
    pub band: Band,
    /// Component scores.
    pub parts: [f64; 4],
    /// Component weights (normalised).
    pub weights: [f64; 4],
    /// The components with data ([`recorded`]).
    pub have: [bool; 4],
    /// Penalty of the open flags, in hundredths of a point, per flag component (attention,
    /// service): an action's uplift takes one flag's penalty out without a re-count.
    penalty: [i64; 2],
}

/// Whether a flag kind counts in the service component (else attention).
pub fn is_service(kind: NeglectKind) -> bool {
    matches!(
        kind,
        NeglectKind::ComplaintNoResponse | NeglectKind::ComplaintOverdue | NeglectKind::ComplaintNoUpdate | NeglectKind::DeliveryFailure
    )
}

/// Points a flag takes off its component, in hundredths of a point (exact: `overdue` has two
/// decimals).
pub fn flag_penalty_cents(f: &FlagCore) -> i64 {
    let sev = match f.severity {
        Severity::Low => 500,
        Severity::Medium => 1000,
        Severity::High => 2000,
        Severity::Critical => 3000,
    };
    sev + (f.overdue.min(10.0) * 100.0).round() as i64
}

/// The band of a score.
pub fn band(score: f64, policy: &Policy) -> Band {
    if score >= policy.bands.green {
        Band::Green
    } else if score >= policy.bands.amber {
        Band::Amber
    } else {
        Band::Red
    }
}

/// Base score of a buying status.
pub fn status_score(s: Status) -> f64 {
    match s {
        Status::Growing => 95.0,
        Status::Steady => 85.0,
        Status::New => 75.0,
        Status::Never | Status::NotRecorded => 50.0,
        Status::Slowing => 40.0,
        Status::Lapsed => 10.0,
    }
}

/// What health is computed from.
pub struct Inputs<'a> {
    /// Satisfaction.
    pub satisfaction: &'a Satisfaction,
    /// Buying.
    pub buying: &'a Buying,
    /// Open flags.
    pub flags: &'a [FlagCore],
}

/// Which components have data, from the tables present in the export (in `Table::ALL`
/// order): satisfaction from feedback or complaints, buying from orders, attention from
/// contacts, promises or feedback, service from complaints or deliveries. With none, all count
/// (every component at its default).
pub fn recorded(present: &[bool; 8]) -> [bool; 4] {
    let p = |t: Table| present[t as usize];
    let have = [
        p(Table::Feedback) || p(Table::Complaints),
        p(Table::Orders),
        p(Table::Contacts) || p(Table::Promises) || p(Table::Feedback),
        p(Table::Complaints) || p(Table::Deliveries),
    ];
    if have.contains(&true) {
        have
    } else {
        [true; 4]
    }
}

fn weights(policy: &Policy, have: [bool; 4]) -> [f64; 4] {
    let w = policy.weights;
    let w = [w.satisfaction, w.buying, w.attention, w.service];
    let w = [0, 1, 2, 3].map(|k| if have[k] { w[k] } else { 0.0 });
    let total: f64 = w.iter().sum();
    let n = have.iter().filter(|h| **h).count().max(1) as f64;
    [0, 1, 2, 3].map(|k| r4(if total > 0.0 { w[k] / total } else if have[k] { 1.0 / n } else { 0.0 }))
}

fn satisfaction_base(s: &Satisfaction) -> (f64, f64) {
    let base = s.index.unwrap_or(60.0);
    let deduction = (4.0 * s.complaints.open_weight + s.complaints.weighted12m).min(40.0);
    (base, deduction)
}

fn buying_score(b: &Buying, status: Status) -> f64 {
    let mut v = status_score(status);
    if let Some(p) = b.p_alive {
        v = (v + 100.0 * p) / 2.0;
    }
    r2(crate::num::clamp(v, 0.0, 100.0))
}

fn flags_score(penalty_cents: i64) -> f64 {
    r2((10_000 - penalty_cents).max(0) as f64 / 100.0)
}

fn weighted(parts: &[f64; 4], w: &[f64; 4]) -> f64 {
    r2(parts[0] * w[0] + parts[1] * w[1] + parts[2] * w[2] + parts[3] * w[3])
}

/// Compute health (its trend is set by the caller); `have`: the components with data
/// ([`recorded`]).
pub fn compute(x: &Inputs, policy: &Policy, have: [bool; 4]) -> HealthCore {
    let w = weights(policy, have);
    let (base, deduction) = satisfaction_base(x.satisfaction);
    let mut penalty = [0i64; 2];
    for f in x.flags {
        if !f.snoozed() {
            penalty[usize::from(is_service(f.kind))] += flag_penalty_cents(f);
        }
    }
    let parts = [
        r2(crate::num::clamp(base - deduction, 0.0, 100.0)),
        buying_score(x.buying, x.buying.status),
        flags_score(penalty[0]),
        flags_score(penalty[1]),
    ];
    let score = weighted(&parts, &w);
    HealthCore { score, band: band(score, policy), parts, weights: w, have, penalty }
}

/// The score without flag `i` (an action's uplift: the flag's cause dealt with).
pub fn score_without(h: &HealthCore, flags: &[FlagCore], i: usize) -> f64 {
    let Some(f) = flags.get(i).filter(|f| !f.snoozed()) else { return h.score };
    let k = usize::from(is_service(f.kind));
    let mut parts = h.parts;
    parts[2 + k] = flags_score(h.penalty[k] - flag_penalty_cents(f));
    weighted(&parts, &h.weights)
}

/// The score with the satisfaction index replaced (a detractor won back: its next answer in
/// the indifference zone); the complaint deduction stays.
pub fn score_with_index(h: &HealthCore, s: &Satisfaction, index: Option<f64>) -> f64 {
    let (_, deduction) = satisfaction_base(s);
    let mut parts = h.parts;
    parts[0] = r2(crate::num::clamp(index.unwrap_or(60.0) - deduction, 0.0, 100.0));
    weighted(&parts, &h.weights)
}

/// The score with the buying status replaced (a `win_back` or `check_in` that worked).
pub fn score_with_status(h: &HealthCore, b: &Buying, status: Status) -> f64 {
    let mut parts = h.parts;
    parts[1] = buying_score(b, status);
    weighted(&parts, &h.weights)
}

/// Health with the facts behind each component, as reported.
pub fn describe(h: &HealthCore, x: &Inputs, trend: Option<f64>) -> Health {
    let s = x.satisfaction;
    let mut facts = Vec::new();
    match s.index {
        Some(i) => facts.push(format!("satisfaction index {}", Num(i))),
        None => facts.push("no feedback known: 60".into()),
    }
    let (_, deduction) = satisfaction_base(s);
    if deduction > 0.0 {
        facts.push(format!("{} open complaint(s), {} in 12 months: −{}", s.complaints.open, s.complaints.count12m, Num(r2(deduction))));
    }
    let mut bfacts = vec![format!("status {}", serde_plain(x.buying.status))];
    if let Some(p) = x.buying.p_alive {
        bfacts.push(format!("P(alive) {}", Num(r2(p))));
    }
    let flag_facts = |service: bool| {
        let mut out: Vec<String> = x
            .flags
            .iter()
            .filter(|f| !f.snoozed() && is_service(f.kind) == service)
            .map(|f| {
                let p = flag_penalty_cents(f) as f64 / 100.0;
                format!("{} ({}, {} overdue): −{}", f.kind.as_str(), f.severity.as_str(), Num(r2(f.overdue)), Num(r2(p)))
            })
            .collect();
        if out.is_empty() {
            out.push("no open flags".into());
        }
        out
    };
    let c = |k: usize, facts: Vec<String>| {
        let evaluated = h.have[k];
        let facts = if evaluated { facts } else { vec![format!("not evaluated: {} not in the export", ["feedback and complaints", "orders", "contacts, promises and feedback", "complaints and deliveries"][k])] };
        Component { score: h.parts[k], weight: h.weights[k], evaluated, facts }
    };
    Health {
        score: h.score,
        band: h.band,
        components: Components {
            satisfaction: c(0, facts),
            buying: c(1, bfacts),
            attention: c(2, flag_facts(false)),
            service: c(3, flag_facts(true)),
        },
        trend,
        trend_components: None,
        trend_causes: Vec::new(),
    }
}

/// A status as written in the report.
pub fn serde_plain(s: Status) -> &'static str {
    match s {
        Status::New => "new",
        Status::Growing => "growing",
        Status::Steady => "steady",
        Status::Slowing => "slowing",
        Status::Lapsed => "lapsed",
        Status::Never => "never",
        Status::NotRecorded => "not_recorded",
    }
}

/// Severity weight of an open complaint in the satisfaction component.
pub fn open_complaint_weight(s: Severity) -> f64 {
    severity_weight(s)
}

fn r4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
