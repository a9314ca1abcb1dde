//! Risk of losing the customer: a score 0–1 from weighted reasons, combined as a noisy-or
//! (`1 − Π(1 − wᵢ)`), so each reason adds to the risk without exceeding 1.
//!
//! | reason | weight |
//! |---|---|
//! | `lapsed` buyer | 0.50 |
//! | `slowing` buyer | 0.25 |
//! | latest answer in the defection zone | 0.35 |
//! | latest answer in the indifference zone | 0.10 |
//! | P(alive) below 0.5 (when a buying model is fitted) | 0.4 × (1 − P(alive)) |
//! | each open high or critical complaint | 0.15 (at most 0.30) |
//! | open, not snoozed neglect flags | low 0.02, medium 0.05, high 0.10, critical 0.15 each (at most 0.30) |
//! | health in the red band | 0.20 |
//! | health fell by 10 points or more in 30 days | 0.15 |
//! | connected (by referral) to customers in the defection zone or at high risk | 0.05 each (at most 0.10) |
//!
//! Levels: `critical` from 0.75, `high` from 0.5, `medium` from 0.25, else `low`.

use crate::num::Num;
use super::buying::{Buying, Status};
use super::health::Band;
use super::neglect::FlagCore;
use super::r2;
use super::satisfaction::{Satisfaction, Zone};
use crate::input::records::Severity;
use serde::Serialize;

/// A risk level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Below 0.25.
    Low,
    /// From 0.25.
    Medium,
    /// From 0.5.
    High,
    /// From 0.75.
    Critical,
}

/// One reason for risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// A stable code (`lapsed`, `defection_zone`, …).
    pub code: &'static str,
    /// Its weight (contribution before combination).
    pub weight: f64,
    /// In words.
    pub text: String,
}

/// The risk part of a customer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// Its level.
    pub level: Level,
    /// 0–1.
    pub score: f64,
    /// Reasons, heaviest first.
    pub reasons: Vec<Reason>,
}

/// The level of a score.
pub fn level(score: f64) -> Level {
    if score >= 0.75 {
        Level::Critical
    } else if score >= 0.5 {
        Level::High
    } else if score >= 0.25 {
        Level::Medium
    } else {
        Level::Low
    }
}

/// Risk as scored: level, score and the weighted reason codes, heaviest first.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskCore {
    /// Its level.
    pub level: Level,
    /// 0–1.
    pub score: f64,
    /// Reason codes with their weights, heaviest first.
    pub reasons: Vec<(&'static str, f64)>,
}

/// What risk is computed from.
pub struct Inputs<'a> {
    /// Buying.
    pub buying: &'a Buying,
    /// Satisfaction.
    pub satisfaction: &'a Satisfaction,
    /// Open flags.
    pub flags: &'a [FlagCore],
    /// Health score.
    pub health: f64,
    /// Health band.
    pub band: Band,
    /// The 30-day trend.
    pub trend: Option<f64>,
    /// Connected customers in the defection zone or at high risk.
    pub exposure: usize,
}

/// Risk; with `exposure` 0 it is the risk from everything but word of mouth.
pub fn compute(x: &Inputs) -> RiskCore {
    let (b, s) = (x.buying, x.satisfaction);
    let mut rs: Vec<(&'static str, f64)> = Vec::new();
    let mut add = |code: &'static str, weight: f64| {
        if weight > 0.0 {
            rs.push((code, r2(weight)));
        }
    };
    match b.status {
        Status::Lapsed => add("lapsed", 0.5),
        Status::Slowing => add("slowing", 0.25),
        _ => {}
    }
    match s.zone {
        Some(Zone::Defection) => add("defection_zone", 0.35),
        Some(Zone::Indifference) => add("indifference_zone", 0.1),
        _ => {}
    }
    if let Some(p) = b.p_alive.filter(|p| *p < 0.5) {
        add("low_p_alive", 0.4 * (1.0 - p));
    }
    if s.complaints.open_high > 0 {
        add("open_serious_complaints", (0.15 * f64::from(s.complaints.open_high)).min(0.3));
    }
    let w: f64 = x
        .flags
        .iter()
        .filter(|f| !f.snoozed())
        .map(|f| match f.severity {
            Severity::Low => 0.02,
            Severity::Medium => 0.05,
            Severity::High => 0.1,
            Severity::Critical => 0.15,
        })
        .sum();
    if x.flags.iter().any(|f| !f.snoozed()) {
        add("neglect", w.min(0.3));
    }
    if x.band == Band::Red {
        add("health_red", 0.2);
    }
    if x.trend.is_some_and(|t| t <= -10.0) {
        add("health_falling", 0.15);
    }
    if x.exposure > 0 {
        add("exposure", (0.05 * x.exposure as f64).min(0.1));
    }
    crate::sort::sort_by(&mut rs, |a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(b.0)));
    let score = r2(1.0 - rs.iter().map(|r| 1.0 - r.1).product::<f64>());
    RiskCore { level: level(score), score, reasons: rs }
}

/// Risk with each reason in words, as reported.
pub fn describe(r: &RiskCore, x: &Inputs) -> Risk {
    let (b, s) = (x.buying, x.satisfaction);
    let open: Vec<&FlagCore> = x.flags.iter().filter(|f| !f.snoozed()).collect();
    let text = |code: &str| -> String {
        match code {
            "lapsed" => format!("stopped buying: {} days since the last order", Num(b.days_since_last_order.unwrap_or(0.0).round())),
            "slowing" => format!("buying less: {} orders / 30 days recently against {} before", Num(b.recent_rate), Num(b.baseline_rate)),
            "defection_zone" => "latest feedback in the defection zone".into(),
            "indifference_zone" => "latest feedback in the indifference zone (satisfied, not loyal)".into(),
            "low_p_alive" => format!("P(alive) {}", Num(r2(b.p_alive.unwrap_or(0.0)))),
            "open_serious_complaints" => format!("{} open high or critical complaint(s)", s.complaints.open_high),
            "neglect" => {
                let worst = open.iter().map(|f| f.severity).max().map_or("", |s| s.as_str());
                format!("{} open neglect flag(s), the worst {worst}", open.len())
            }
            "health_red" => format!("health {} is in the red band", Num(x.health)),
            "health_falling" => format!("health fell {} points in 30 days", Num(-x.trend.unwrap_or(0.0))),
            _ => format!("referral link to {} unhappy or at-risk customer(s)", x.exposure),
        }
    };
    Risk {
        level: r.level,
        score: r.score,
        reasons: r.reasons.iter().map(|(code, weight)| Reason { code, weight: *weight, text: text(code) }).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_both_sides() {
        assert_eq!(level(0.2499), Level::Low);
        assert_eq!(level(0.25), Level::Medium);
        assert_eq!(level(0.4999), Level::Medium);
        assert_eq!(level(0.5), Level::High);
        assert_eq!(level(0.7499), Level::High);
        assert_eq!(level(0.75), Level::Critical);
    }
}
