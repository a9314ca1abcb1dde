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

use super::buying::{Buying, Status};
use super::health::{Band, Health};
use super::neglect::Flag;
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

/// Risk from everything but word of mouth; `exposure` is the number of connected customers
/// in the defection zone or at high risk.
pub fn compute(b: &Buying, s: &Satisfaction, flags: &[Flag], h: &Health, exposure: usize) -> Risk {
    let mut rs = Vec::new();
    let mut add = |code: &'static str, weight: f64, text: String| {
        if weight > 0.0 {
            rs.push(Reason { code, weight: r2(weight), text });
        }
    };
    match b.status {
        Status::Lapsed => add("lapsed", 0.5, format!("stopped buying: {} days since the last order", b.days_since_last_order.unwrap_or(0.0).round())),
        Status::Slowing => add(
            "slowing",
            0.25,
            format!("buying less: {} orders / 30 days recently against {} before", b.recent_rate, b.baseline_rate),
        ),
        _ => {}
    }
    match s.zone {
        Some(Zone::Defection) => add("defection_zone", 0.35, "latest feedback in the defection zone".into()),
        Some(Zone::Indifference) => add("indifference_zone", 0.1, "latest feedback in the indifference zone (satisfied, not loyal)".into()),
        _ => {}
    }
    if let Some(p) = b.p_alive.filter(|p| *p < 0.5) {
        add("low_p_alive", 0.4 * (1.0 - p), format!("P(alive) {}", r2(p)));
    }
    if s.complaints.open_high > 0 {
        add("open_serious_complaints", (0.15 * f64::from(s.complaints.open_high)).min(0.3), format!("{} open high or critical complaint(s)", s.complaints.open_high));
    }
    let open: Vec<&Flag> = flags.iter().filter(|f| !f.snoozed).collect();
    if !open.is_empty() {
        let w: f64 = open
            .iter()
            .map(|f| match f.severity {
                Severity::Low => 0.02,
                Severity::Medium => 0.05,
                Severity::High => 0.1,
                Severity::Critical => 0.15,
            })
            .sum();
        let worst = open.iter().map(|f| f.severity).max().map_or("", |s| s.as_str());
        add("neglect", w.min(0.3), format!("{} open neglect flag(s), the worst {worst}", open.len()));
    }
    if h.band == Band::Red {
        add("health_red", 0.2, format!("health {} is in the red band", h.score));
    }
    if let Some(t) = h.trend.filter(|t| *t <= -10.0) {
        add("health_falling", 0.15, format!("health fell {} points in 30 days", -t));
    }
    if exposure > 0 {
        add("exposure", (0.05 * exposure as f64).min(0.1), format!("referral link to {exposure} unhappy or at-risk customer(s)"));
    }
    super::sort_by(&mut rs, |a, b| b.weight.partial_cmp(&a.weight).unwrap_or(std::cmp::Ordering::Equal).then(a.code.cmp(b.code)));
    let score = r2(1.0 - rs.iter().map(|r| 1.0 - r.weight).product::<f64>());
    Risk { level: level(score), score, reasons: rs }
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
