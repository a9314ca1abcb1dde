//! What to do: one action per open (not snoozed) flag, plus actions from states, each with the
//! health it would gain — re-scored without its cause, not guessed.
//!
//! | action | when | uplift |
//! |---|---|---|
//! | the flag's kind | an open, not snoozed flag | health without that flag − health now |
//! | `win_back` | buying `lapsed` | health with buying `steady` − health now |
//! | `check_in` | buying `slowing` | health with buying `steady` − health now |
//! | `recover_detractor` | the latest answer is in the defection zone | 0 (the next answer is not known yet) |
//! | `ask_feedback` | risk at least medium, no feedback for 90 days, no `no_feedback` flag and no `recover_detractor` | 0 (the answer is not known yet) |
//! | `ask_referral` | latest answer an NPS promoter (9–10), risk low, no open flag | 0 (growth, not health) |
//!
//! State actions are not offered for tier-C customers at low risk: do not over-serve. Flag
//! actions come first (most severe, then most overdue), then state actions.

use super::buying::{Buying, Status};
use super::health::{self, Health, Inputs};
use super::neglect::{Evidence, Flag};
use super::r2;
use super::risk::{Level, Risk};
use super::satisfaction::Satisfaction;
use super::value::Tier;
use crate::input::records::{FeedbackKind, Severity, Table};
use crate::policy::Policy;
use serde::Serialize;

/// One action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// A flag kind, or `win_back`, `check_in`, `ask_feedback`, `ask_referral`.
    pub kind: &'static str,
    /// What to do.
    pub message: String,
    /// The row it is about, when there is one.
    pub evidence: Option<Evidence>,
    /// Who should do it.
    pub owner: Option<String>,
    /// How urgent.
    pub severity: Severity,
    /// Business days overdue (flag actions).
    pub overdue: Option<f64>,
    /// Health points gained when done.
    pub uplift: f64,
}

/// Everything an action list is computed from.
pub struct Context<'a> {
    /// Satisfaction.
    pub satisfaction: &'a Satisfaction,
    /// Buying.
    pub buying: &'a Buying,
    /// Open flags.
    pub flags: &'a [Flag],
    /// Health now.
    pub health: &'a Health,
    /// Risk.
    pub risk: &'a Risk,
    /// Value tier.
    pub tier: Tier,
    /// The customer's owner.
    pub owner: Option<&'a str>,
    /// Days since the last feedback (null without).
    pub days_since_feedback: Option<f64>,
}

/// The actions of one customer.
pub fn compute(cx: &Context, policy: &Policy) -> Vec<Action> {
    let inputs = Inputs { satisfaction: cx.satisfaction, buying: cx.buying, flags: cx.flags };
    let now = cx.health.score;
    let mut out: Vec<Action> = cx
        .flags
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.snoozed)
        .map(|(i, f)| Action {
            kind: f.kind.as_str(),
            message: f.message.clone(),
            evidence: f.evidence.clone(),
            owner: f.owner.clone(),
            severity: f.severity,
            overdue: Some(f.overdue),
            uplift: r2(health::compute(&inputs, policy, Some(i), None).score - now),
        })
        .collect();
    super::sort_by(&mut out, |a, b| {
        b.severity.cmp(&a.severity).then(b.overdue.partial_cmp(&a.overdue).unwrap_or(std::cmp::Ordering::Equal))
    });
    if cx.tier == Tier::C && cx.risk.level == Level::Low {
        return out;
    }
    let owner = cx.owner.map(str::to_owned);
    let b = cx.buying;
    let last_order = b.last_order_id.as_ref().map(|id| Evidence { table: Table::Orders, id: id.clone() });
    let steady_uplift = || r2(health::compute(&inputs, policy, None, Some(Status::Steady)).score - now);
    match b.status {
        Status::Lapsed => out.push(Action {
            kind: "win_back",
            message: format!("Win back — no order for {} days", b.days_since_last_order.unwrap_or(0.0).round()),
            evidence: last_order,
            owner: owner.clone(),
            severity: Severity::High,
            overdue: None,
            uplift: steady_uplift(),
        }),
        Status::Slowing => out.push(Action {
            kind: "check_in",
            message: match b.median_gap_days {
                Some(g) if b.overdue_days.is_some_and(|o| o > 0.0) => format!(
                    "Check in on slowing orders — usually every {} days, none for {}",
                    g.round(),
                    b.days_since_last_order.unwrap_or(0.0).round()
                ),
                _ => format!("Check in on slowing orders — {} per 30 days recently, {} before", b.recent_rate, b.baseline_rate),
            },
            evidence: last_order,
            owner: owner.clone(),
            severity: Severity::Medium,
            overdue: None,
            uplift: steady_uplift(),
        }),
        _ => {}
    }
    let s = cx.satisfaction;
    let detractor = s.zone == Some(super::satisfaction::Zone::Defection);
    if detractor {
        let (kind, score) = match s.zone_kind {
            Some(FeedbackKind::Nps) => ("NPS", s.nps.latest),
            Some(FeedbackKind::Csat) => ("CSAT", s.csat.latest),
            _ => ("CES", s.ces.latest),
        };
        out.push(Action {
            kind: "recover_detractor",
            message: format!(
                "Call to win back trust — latest answer {kind} {} {} days ago is in the defection zone",
                score.unwrap_or(0),
                cx.days_since_feedback.unwrap_or(0.0).round()
            ),
            evidence: s.last_feedback_id.as_ref().map(|id| Evidence { table: Table::Feedback, id: id.clone() }),
            owner: owner.clone(),
            severity: Severity::High,
            overdue: None,
            uplift: 0.0,
        });
    }
    let has_feedback_flag = cx.flags.iter().any(|f| f.kind.as_str() == "no_feedback");
    if !detractor && cx.risk.level >= Level::Medium && !has_feedback_flag && cx.days_since_feedback.is_none_or(|d| d > 90.0) {
        out.push(Action {
            kind: "ask_feedback",
            message: match cx.days_since_feedback {
                Some(d) => format!("Ask how things are going — no feedback for {} days while at {} risk", d.round(), level_name(cx.risk.level)),
                None => format!("Ask how things are going — no feedback yet while at {} risk", level_name(cx.risk.level)),
            },
            evidence: None,
            owner: owner.clone(),
            severity: Severity::Low,
            overdue: None,
            uplift: 0.0,
        });
    }
    let open = cx.flags.iter().any(|f| !f.snoozed);
    if s.zone_kind == Some(FeedbackKind::Nps) && s.nps.latest.is_some_and(|x| x >= 9) && cx.risk.level == Level::Low && !open {
        out.push(Action {
            kind: "ask_referral",
            message: format!("Ask for a referral — a promoter (NPS {})", s.nps.latest.unwrap_or(0)),
            evidence: s.last_feedback_id.as_ref().map(|id| Evidence { table: Table::Feedback, id: id.clone() }),
            owner,
            severity: Severity::Low,
            overdue: None,
            uplift: 0.0,
        });
    }
    out
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Low => "low",
        Level::Medium => "medium",
        Level::High => "high",
        Level::Critical => "critical",
    }
}
