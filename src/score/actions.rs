//! What to do: one action per open (not snoozed) flag, plus actions from states, each with the
//! health it would gain — re-scored without its cause, not guessed.
//!
//! | action | when | uplift |
//! |---|---|---|
//! | the flag's kind | an open, not snoozed flag | health without that flag − health now |
//! | `win_back` | buying `lapsed` | health with buying `steady` − health now |
//! | `check_in` | buying `slowing` | health with buying `steady` − health now |
//! | `recover_detractor` | the latest answer is in the defection zone | health with one more answer of that survey at the lowest score of the indifference zone (NPS 7, CSAT 3, CES 4 by default) − health now, at least 0 |
//! | `ask_feedback` | risk at least medium, no feedback for 90 days, no `no_feedback` flag and no `recover_detractor` | 0 (the answer is not known yet) |
//! | `ask_referral` | latest answer an NPS promoter (9–10), risk low, no open flag | 0 (growth, not health) |
//!
//! State actions are not offered for tier-C customers at low risk: do not over-serve. Flag
//! actions come first (most severe, then most overdue), then state actions.

use super::buying::{Buying, Status};
use super::health::{self, HealthCore};
use super::neglect::{self, Evidence, FlagCore};
use super::r2;
use super::risk::Level;
use super::satisfaction::{Satisfaction, Zone};
use super::value::Tier;
use super::view::Ctx;
use crate::num::Num;
use crate::input::records::{FeedbackKind, NeglectKind, Severity, Slot, Table};
use crate::input::strings::Own;
use serde::Serialize;

/// One action, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// A flag kind, or `win_back`, `check_in`, `recover_detractor`, `ask_feedback`,
    /// `ask_referral`.
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

/// What an action is and what its message needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum What {
    /// Close an open flag.
    Flag(FlagCore),
    /// Win back a lapsed buyer (days since the last order).
    WinBack {
        /// Days since the last order.
        since: f64,
    },
    /// Check in on slowing orders.
    CheckIn {
        /// The median gap between order days, when overdue against it.
        gap: Option<f64>,
        /// Days since the last order.
        since: f64,
        /// Orders per 30 days recently.
        recent: f64,
        /// Orders per 30 days before.
        baseline: f64,
    },
    /// Win back trust after an answer in the defection zone.
    RecoverDetractor {
        /// The survey.
        kind: FeedbackKind,
        /// The answer.
        score: u8,
        /// Days since it was given.
        days: f64,
    },
    /// Ask how things are going.
    AskFeedback {
        /// Days since the last feedback.
        days: Option<f64>,
        /// The risk level.
        level: Level,
    },
    /// Ask a promoter for a referral.
    AskReferral {
        /// The NPS answer.
        score: u8,
    },
}

/// One action as scored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActionCore {
    /// What it is.
    pub what: What,
    /// How urgent.
    pub severity: Severity,
    /// Health points gained when done.
    pub uplift: f64,
    /// The row it is about.
    pub evidence: Option<(Table, Slot)>,
    /// Who should do it.
    pub owner: Option<Own>,
}

/// Every action kind as reported, in name order.
pub const KINDS: [&str; 13] = [
    "ask_feedback",
    "ask_referral",
    "broken_promise",
    "check_in",
    "complaint_no_response",
    "complaint_no_update",
    "complaint_overdue",
    "delivery_failure",
    "no_feedback",
    "no_outreach",
    "recover_detractor",
    "unreturned_contact",
    "win_back",
];

/// The rank of a kind in name order (an unknown kind after all).
pub fn kind_rank(k: &str) -> u64 {
    KINDS.iter().position(|x| *x == k).unwrap_or(KINDS.len()) as u64
}

impl ActionCore {
    /// Its kind as reported.
    pub fn kind(&self) -> &'static str {
        match self.what {
            What::Flag(f) => f.kind.as_str(),
            What::WinBack { .. } => "win_back",
            What::CheckIn { .. } => "check_in",
            What::RecoverDetractor { .. } => "recover_detractor",
            What::AskFeedback { .. } => "ask_feedback",
            What::AskReferral { .. } => "ask_referral",
        }
    }

    /// Business days overdue, for flag actions.
    pub fn overdue(&self) -> Option<f64> {
        match self.what {
            What::Flag(f) => Some(f.overdue),
            _ => None,
        }
    }
}

/// Everything an action list is computed from.
pub struct Context<'a> {
    /// Satisfaction.
    pub satisfaction: &'a Satisfaction,
    /// Buying.
    pub buying: &'a Buying,
    /// Open flags.
    pub flags: &'a [FlagCore],
    /// Health now.
    pub health: &'a HealthCore,
    /// Risk level.
    pub level: Level,
    /// Value tier.
    pub tier: Tier,
    /// The customer's owner.
    pub owner: Option<Own>,
    /// Days since the last feedback (null without).
    pub days_since_feedback: Option<f64>,
    /// Health if the latest answer's next one were the lowest of the indifference zone
    /// (`recover_detractor`'s success; null when the latest answer is not a detractor's).
    pub recovered: Option<f64>,
}

/// The actions of one customer.
pub fn compute(cx: &Context) -> Vec<ActionCore> {
    let now = cx.health.score;
    let mut out: Vec<ActionCore> = cx
        .flags
        .iter()
        .enumerate()
        .filter(|(_, f)| !f.snoozed())
        .map(|(i, f)| ActionCore {
            what: What::Flag(*f),
            severity: f.severity,
            uplift: r2(health::score_without(cx.health, cx.flags, i) - now),
            evidence: f.evidence,
            owner: f.owner,
        })
        .collect();
    crate::sort::sort_by(&mut out, |a, b| {
        b.severity.cmp(&a.severity).then(b.overdue().partial_cmp(&a.overdue()).unwrap_or(std::cmp::Ordering::Equal))
    });
    if cx.tier == Tier::C && cx.level == Level::Low {
        return out;
    }
    let owner = cx.owner;
    let b = cx.buying;
    let last_order = b.last_order_slot.map(|s| (Table::Orders, s));
    let steady_uplift = || r2(health::score_with_status(cx.health, b, Status::Steady) - now);
    let since = b.days_since_last_order.unwrap_or(0.0);
    match b.status {
        Status::Lapsed => out.push(ActionCore {
            what: What::WinBack { since },
            severity: Severity::High,
            uplift: steady_uplift(),
            evidence: last_order,
            owner,
        }),
        Status::Slowing => out.push(ActionCore {
            what: What::CheckIn {
                gap: b.median_gap_days.filter(|_| b.overdue_days.is_some_and(|o| o > 0.0)),
                since,
                recent: b.recent_rate,
                baseline: b.baseline_rate,
            },
            severity: Severity::Medium,
            uplift: steady_uplift(),
            evidence: last_order,
            owner,
        }),
        _ => {}
    }
    let s = cx.satisfaction;
    let detractor = s.zone == Some(Zone::Defection);
    let last_feedback = s.last_feedback_slot.map(|x| (Table::Feedback, x));
    if detractor {
        let (kind, score) = match s.zone_kind {
            Some(FeedbackKind::Nps) => (FeedbackKind::Nps, s.nps.latest),
            Some(FeedbackKind::Csat) => (FeedbackKind::Csat, s.csat.latest),
            _ => (FeedbackKind::Ces, s.ces.latest),
        };
        out.push(ActionCore {
            what: What::RecoverDetractor { kind, score: score.unwrap_or(0), days: cx.days_since_feedback.unwrap_or(0.0) },
            severity: Severity::High,
            uplift: cx.recovered.map_or(0.0, |h| r2(h - now).max(0.0)),
            evidence: last_feedback,
            owner,
        });
    }
    let has_feedback_flag = cx.flags.iter().any(|f| f.kind == NeglectKind::NoFeedback);
    if !detractor && cx.level >= Level::Medium && !has_feedback_flag && cx.days_since_feedback.is_none_or(|d| d > 90.0) {
        out.push(ActionCore {
            what: What::AskFeedback { days: cx.days_since_feedback, level: cx.level },
            severity: Severity::Low,
            uplift: 0.0,
            evidence: None,
            owner,
        });
    }
    let open = cx.flags.iter().any(|f| !f.snoozed());
    if s.zone_kind == Some(FeedbackKind::Nps) && s.nps.latest.is_some_and(|x| x >= 9) && cx.level == Level::Low && !open {
        out.push(ActionCore {
            what: What::AskReferral { score: s.nps.latest.unwrap_or(0) },
            severity: Severity::Low,
            uplift: 0.0,
            evidence: last_feedback,
            owner,
        });
    }
    out
}

/// An action's message.
pub fn message(a: &ActionCore, cx: &Ctx) -> String {
    match a.what {
        What::Flag(f) => neglect::describe(&f, cx).message,
        What::WinBack { since } => format!("Win back — no order for {} days", Num(since.round())),
        What::CheckIn { gap: Some(g), since, .. } => {
            format!("Check in on slowing orders — usually every {} days, none for {}", Num(g.round()), Num(since.round()))
        }
        What::CheckIn { recent, baseline, .. } => {
            format!("Check in on slowing orders — {} per 30 days recently, {} before", Num(recent), Num(baseline))
        }
        What::RecoverDetractor { kind, score, days } => {
            let name = match kind {
                FeedbackKind::Nps => "NPS",
                FeedbackKind::Csat => "CSAT",
                FeedbackKind::Ces => "CES",
            };
            format!("Call to win back trust — latest answer {name} {score} {} days ago is in the defection zone", Num(days.round()))
        }
        What::AskFeedback { days: Some(d), level } => {
            format!("Ask how things are going — no feedback for {} days while at {} risk", Num(d.round()), level_name(level))
        }
        What::AskFeedback { days: None, level } => {
            format!("Ask how things are going — no feedback yet while at {} risk", level_name(level))
        }
        What::AskReferral { score } => format!("Ask for a referral — a promoter (NPS {score})"),
    }
}

/// An action as reported.
pub fn describe(a: &ActionCore, cx: &Ctx) -> Action {
    let d = cx.data();
    Action {
        kind: a.kind(),
        message: message(a, cx),
        evidence: a.evidence.map(|(table, s)| Evidence { table, id: d.row_id(table, s).unwrap_or("").to_owned() }),
        owner: d.owner(a.owner).map(str::to_owned),
        severity: a.severity,
        overdue: a.overdue(),
        uplift: a.uplift,
    }
}

/// A risk level's name.
pub fn level_name(l: Level) -> &'static str {
    match l {
        Level::Low => "low",
        Level::Medium => "medium",
        Level::High => "high",
        Level::Critical => "critical",
    }
}

#[cfg(test)]
mod tests {
    use super::{kind_rank, KINDS};
    use crate::input::records::NeglectKind;

    #[test]
    fn kinds_are_every_kind_once_in_name_order() {
        let mut all: Vec<&str> = NeglectKind::ALL.iter().map(|k| k.as_str()).collect();
        all.extend(["win_back", "check_in", "recover_detractor", "ask_feedback", "ask_referral"]);
        all.sort_unstable();
        assert_eq!(all, KINDS);
        assert!(kind_rank("ask_feedback") < kind_rank("win_back"));
        assert_eq!(kind_rank("nonsense"), KINDS.len() as u64);
    }
}
