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
use super::neglect::Flag;
use super::r2;
use super::satisfaction::{severity_weight, Satisfaction};
use crate::input::records::{NeglectKind, Severity};
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
    /// Its weight (normalised to sum 1).
    pub weight: f64,
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
}

/// Whether a flag kind counts in the service component (else attention).
pub fn is_service(kind: NeglectKind) -> bool {
    matches!(
        kind,
        NeglectKind::ComplaintNoResponse | NeglectKind::ComplaintOverdue | NeglectKind::ComplaintNoUpdate | NeglectKind::DeliveryFailure
    )
}

/// Points a flag takes off its component.
pub fn flag_penalty(f: &Flag) -> f64 {
    let sev = match f.severity {
        Severity::Low => 5.0,
        Severity::Medium => 10.0,
        Severity::High => 20.0,
        Severity::Critical => 30.0,
    };
    sev + f.overdue.min(10.0)
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
        Status::Never => 50.0,
        Status::Slowing => 40.0,
        Status::Lapsed => 10.0,
    }
}

/// What health is computed from; `without` leaves out one flag and `status` replaces the
/// buying status, which is how an action's uplift is re-scored.
pub struct Inputs<'a> {
    /// Satisfaction.
    pub satisfaction: &'a Satisfaction,
    /// Buying.
    pub buying: &'a Buying,
    /// Open flags.
    pub flags: &'a [Flag],
}

fn flags_component(flags: &[Flag], without: Option<usize>, service: bool, weight: f64) -> Component {
    let mut penalty = 0.0;
    let mut facts = Vec::new();
    for (i, f) in flags.iter().enumerate() {
        if Some(i) == without || f.snoozed || is_service(f.kind) != service {
            continue;
        }
        let p = flag_penalty(f);
        penalty += p;
        facts.push(format!("{} ({}, {} overdue): −{}", f.kind.as_str(), f.severity.as_str(), r2(f.overdue), r2(p)));
    }
    if facts.is_empty() {
        facts.push("no open flags".into());
    }
    Component { score: r2((100.0 - penalty).max(0.0)), weight: r4(weight), facts }
}

/// Compute health (without `trend`).
pub fn compute(x: &Inputs, policy: &Policy, without: Option<usize>, status: Option<Status>) -> Health {
    let w = policy.weights;
    let total = w.satisfaction + w.buying + w.attention + w.service;
    let norm = |v: f64| if total > 0.0 { v / total } else { 0.25 };
    let s = x.satisfaction;
    let mut facts = Vec::new();
    let base = match s.index {
        Some(i) => {
            facts.push(format!("satisfaction index {i}"));
            i
        }
        None => {
            facts.push("no feedback known: 60".into());
            60.0
        }
    };
    let open_weight: f64 = s.complaints.open_weight;
    let deduction = (4.0 * open_weight + s.complaints.weighted12m).min(40.0);
    if deduction > 0.0 {
        facts.push(format!(
            "{} open complaint(s), {} in 12 months: −{}",
            s.complaints.open,
            s.complaints.count12m,
            r2(deduction)
        ));
    }
    let satisfaction = Component { score: r2((base - deduction).clamp(0.0, 100.0)), weight: r4(norm(w.satisfaction)), facts };

    let st = status.unwrap_or(x.buying.status);
    let mut bfacts = vec![format!("status {}", serde_plain(st))];
    let mut b = status_score(st);
    if let Some(p) = x.buying.p_alive {
        bfacts.push(format!("P(alive) {}", r2(p)));
        b = (b + 100.0 * p) / 2.0;
    }
    let buying = Component { score: r2(b.clamp(0.0, 100.0)), weight: r4(norm(w.buying)), facts: bfacts };
    let attention = flags_component(x.flags, without, false, norm(w.attention));
    let service = flags_component(x.flags, without, true, norm(w.service));
    let score = r2(satisfaction.score * satisfaction.weight
        + buying.score * buying.weight
        + attention.score * attention.weight
        + service.score * service.weight);
    Health { score, band: band(score, policy), components: Components { satisfaction, buying, attention, service }, trend: None }
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
    }
}

/// Severity weight of an open complaint in the satisfaction component.
pub fn open_complaint_weight(s: Severity) -> f64 {
    severity_weight(s)
}

fn r4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}
