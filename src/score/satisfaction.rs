//! How satisfied a customer is: survey answers and complaint load.
//!
//! Per survey kind: the latest answer and, over the trailing 365 days, the count, the mean and
//! the kind's headline figure — NPS (% promoters 9–10 − % detractors 0–6), CSAT % (share of 4s
//! and 5s) or CES (mean of the 1–7 "easy to handle" scale).
//!
//! `index` (0–100) is the mean, over the kinds answered in the trailing 365 days, of the
//! trailing mean rescaled to 0–100 (NPS score / 10, CSAT (s − 1) / 4, CES (s − 1) / 6); when
//! nothing was answered in that window the latest answers are used instead; without any
//! feedback it is null. `zone` is the zone of the latest answer of any kind, by the policy's
//! thresholds (defaults NPS 0–6 / 7–8 / 9–10, CSAT 1–2 / 3–4 / 5, CES 1–3 / 4–5 / 6–7).

use super::r2;
use super::view::View;
use crate::input::records::{FeedbackKind, Severity};
use crate::policy::{Policy, Zone as Thresholds};
use crate::time::{Stamp, DAY_MS};
use serde::Serialize;

/// A satisfaction zone (Jones & Sasser).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Zone {
    /// Likely to leave.
    Defection,
    /// Satisfied but not loyal.
    Indifference,
    /// Truly loyal.
    Affection,
}

/// The zone of a score given thresholds.
pub fn zone_of(score: u8, t: Thresholds) -> Zone {
    if score >= t.affection {
        Zone::Affection
    } else if score >= t.indifference {
        Zone::Indifference
    } else {
        Zone::Defection
    }
}

/// Statistics of one survey kind for one customer.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Survey {
    /// The latest answer.
    pub latest: Option<u8>,
    /// When it was given.
    pub latest_at: Option<Stamp>,
    /// Answers in the trailing 365 days.
    pub count12m: u32,
    /// Their mean.
    pub mean12m: Option<f64>,
    /// The kind's headline figure over those answers: NPS (−100…100), CSAT % (0…100) or the CES
    /// mean (1…7).
    pub score12m: Option<f64>,
}

/// Complaint load.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintLoad {
    /// Complaints open at `asOf`.
    pub open: u32,
    /// Of those, high or critical.
    pub open_high: u32,
    /// Severity-weighted count of the open ones (low 1, medium 2, high 4, critical 8).
    pub open_weight: f64,
    /// Complaints opened in the trailing 365 days.
    pub count12m: u32,
    /// Severity-weighted count over the trailing 365 days (low 1, medium 2, high 4, critical 8).
    pub weighted12m: f64,
}

/// The satisfaction part of a customer's report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Satisfaction {
    /// NPS answers.
    pub nps: Survey,
    /// CSAT answers.
    pub csat: Survey,
    /// CES answers.
    pub ces: Survey,
    /// 0–100, null when no feedback is known.
    pub index: Option<f64>,
    /// Zone of the latest answer, null without feedback.
    pub zone: Option<Zone>,
    /// The kind of the latest answer.
    pub zone_kind: Option<FeedbackKind>,
    /// When the latest answer was given.
    pub last_feedback_at: Option<Stamp>,
    /// The latest answer's row id (filled when the report is written).
    pub last_feedback_id: Option<String>,
    /// Complaint load.
    pub complaints: ComplaintLoad,
    /// When the latest answer was given, as an instant.
    #[serde(skip)]
    pub last_feedback: Option<crate::time::Instant>,
    /// The latest answer's slot.
    #[serde(skip)]
    pub last_feedback_slot: Option<crate::input::records::Slot>,
}

/// Rescale a score of a kind to 0–100.
pub fn normalise(kind: FeedbackKind, score: f64) -> f64 {
    match kind {
        FeedbackKind::Nps => score * 10.0,
        FeedbackKind::Csat => (score - 1.0) * 25.0,
        FeedbackKind::Ces => (score - 1.0) * 100.0 / 6.0,
    }
}

/// The headline figure of a set of answers of one kind (NPS, CSAT % or CES mean).
pub fn headline(kind: FeedbackKind, scores: &[u8]) -> Option<f64> {
    if scores.is_empty() {
        return None;
    }
    let n = scores.len() as f64;
    Some(match kind {
        FeedbackKind::Nps => {
            let pro = scores.iter().filter(|s| **s >= 9).count() as f64;
            let det = scores.iter().filter(|s| **s <= 6).count() as f64;
            (pro - det) / n * 100.0
        }
        FeedbackKind::Csat => scores.iter().filter(|s| **s >= 4).count() as f64 / n * 100.0,
        FeedbackKind::Ces => scores.iter().map(|s| f64::from(*s)).sum::<f64>() / n,
    })
}

/// Severity weight of a complaint in the load.
pub fn severity_weight(s: Severity) -> f64 {
    match s {
        Severity::Low => 1.0,
        Severity::Medium => 2.0,
        Severity::High => 4.0,
        Severity::Critical => 8.0,
    }
}

/// Counts of one survey kind's answers in a window: enough for every figure of [`headline`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Tally {
    /// Answers.
    pub n: u32,
    /// Sum of the scores.
    pub sum: u32,
    /// Scores of 9 or 10.
    pub promoters: u32,
    /// Scores of 0 to 6.
    pub detractors: u32,
    /// Scores of 4 or 5.
    pub top2: u32,
}

impl Tally {
    /// Count one answer.
    pub fn add(&mut self, score: u8) {
        let s = u32::from(score);
        self.n += 1;
        self.sum += s;
        self.promoters += u32::from(s >= 9);
        self.detractors += u32::from(s <= 6);
        self.top2 += u32::from(s >= 4);
    }

    /// The kind's headline figure (as [`headline`] over the same answers).
    pub fn headline(&self, kind: FeedbackKind) -> Option<f64> {
        if self.n == 0 {
            return None;
        }
        let n = f64::from(self.n);
        Some(match kind {
            FeedbackKind::Nps => (f64::from(self.promoters) - f64::from(self.detractors)) / n * 100.0,
            FeedbackKind::Csat => f64::from(self.top2) / n * 100.0,
            FeedbackKind::Ces => f64::from(self.sum) / n,
        })
    }

    /// The mean score.
    pub fn mean(&self) -> Option<f64> {
        (self.n > 0).then(|| f64::from(self.sum) / f64::from(self.n))
    }
}

/// The index: over the kinds answered in the window, else over the latest answers.
fn index_of(recent: &[Tally; 3], latest: &[Option<(i64, u8)>; 3]) -> Option<f64> {
    let kinds = [FeedbackKind::Nps, FeedbackKind::Csat, FeedbackKind::Ces];
    let (mut sum, mut n) = (0.0, 0u32);
    for k in kinds {
        if let Some(m) = recent[k as usize].mean() {
            sum += normalise(k, m);
            n += 1;
        }
    }
    if n == 0 {
        for k in kinds {
            if let Some((_, s)) = latest[k as usize] {
                sum += normalise(k, f64::from(s));
                n += 1;
            }
        }
    }
    (n > 0).then(|| r2(sum / f64::from(n)))
}

/// The satisfaction index if one more answer, `score` on `kind`, came at `asOf` (what a
/// `recover_detractor` that worked would bring).
pub fn index_with(v: &View, kind: FeedbackKind, score: u8) -> Option<f64> {
    let window = v.as_of - 365 * DAY_MS;
    let mut recent = [Tally::default(); 3];
    let mut latest: [Option<(i64, u8)>; 3] = [None; 3];
    for &i in v.feedback {
        let f = &v.d.feedback[i as usize];
        latest[f.kind as usize] = Some((f.at, f.score));
        if f.at > window {
            recent[f.kind as usize].add(f.score);
        }
    }
    recent[kind as usize].add(score);
    latest[kind as usize] = Some((v.as_of, score));
    index_of(&recent, &latest)
}

/// Satisfaction of one customer.
pub fn compute(v: &View, policy: &Policy) -> Satisfaction {
    let d = v.d;
    let off = policy.offset_secs;
    let window = v.as_of - 365 * DAY_MS;
    let mut recent = [Tally::default(); 3];
    let mut latest: [Option<(i64, u8)>; 3] = [None; 3];
    let mut last: Option<(i64, FeedbackKind, u8)> = None;
    let mut last_slot = None;
    for &i in v.feedback {
        let f = &d.feedback[i as usize];
        let k = f.kind as usize;
        latest[k] = Some((f.at, f.score));
        last = Some((f.at, f.kind, f.score));
        last_slot = Some(i);
        if f.at > window {
            recent[k].add(f.score);
        }
    }
    let survey = |kind: FeedbackKind| {
        let k = kind as usize;
        let t = &recent[k];
        Survey {
            latest: latest[k].map(|x| x.1),
            latest_at: latest[k].map(|x| Stamp::new(x.0, off)),
            count12m: t.n,
            mean12m: t.mean().map(r2),
            score12m: t.headline(kind).map(r2),
        }
    };
    let index = index_of(&recent, &latest);
    let thresholds = |k: FeedbackKind| match k {
        FeedbackKind::Nps => policy.zones.nps,
        FeedbackKind::Csat => policy.zones.csat,
        FeedbackKind::Ces => policy.zones.ces,
    };
    let mut load = ComplaintLoad::default();
    for &i in v.complaints {
        let x = &d.complaints[i as usize];
        if v.known(x.resolved_at).is_none() {
            load.open += 1;
            load.open_weight += severity_weight(x.severity);
            if x.severity >= Severity::High {
                load.open_high += 1;
            }
        }
        if x.opened_at > window {
            load.count12m += 1;
            load.weighted12m += severity_weight(x.severity);
        }
    }
    Satisfaction {
        nps: survey(FeedbackKind::Nps),
        csat: survey(FeedbackKind::Csat),
        ces: survey(FeedbackKind::Ces),
        index,
        zone: last.map(|(_, k, s)| zone_of(s, thresholds(k))),
        zone_kind: last.map(|(_, k, _)| k),
        last_feedback_at: last.map(|(t, _, _)| Stamp::new(t, off)),
        last_feedback_id: None,
        complaints: load,
        last_feedback: last.map(|(t, _, _)| t),
        last_feedback_slot: last_slot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_figures() {
        // 2 promoters, 1 passive, 1 detractor: (2 - 1) / 4 = 25.
        assert_eq!(headline(FeedbackKind::Nps, &[9, 10, 8, 6]), Some(25.0));
        assert_eq!(headline(FeedbackKind::Csat, &[5, 4, 3, 1]), Some(50.0));
        assert_eq!(headline(FeedbackKind::Ces, &[7, 5]), Some(6.0));
        assert_eq!(headline(FeedbackKind::Nps, &[]), None);
    }

    #[test]
    fn zones_on_both_sides_of_each_threshold() {
        let p = Policy::default();
        assert_eq!(zone_of(6, p.zones.nps), Zone::Defection);
        assert_eq!(zone_of(7, p.zones.nps), Zone::Indifference);
        assert_eq!(zone_of(8, p.zones.nps), Zone::Indifference);
        assert_eq!(zone_of(9, p.zones.nps), Zone::Affection);
        assert_eq!(zone_of(2, p.zones.csat), Zone::Defection);
        assert_eq!(zone_of(3, p.zones.csat), Zone::Indifference);
        assert_eq!(zone_of(4, p.zones.csat), Zone::Indifference);
        assert_eq!(zone_of(5, p.zones.csat), Zone::Affection);
        assert_eq!(zone_of(3, p.zones.ces), Zone::Defection);
        assert_eq!(zone_of(4, p.zones.ces), Zone::Indifference);
        assert_eq!(zone_of(5, p.zones.ces), Zone::Indifference);
        assert_eq!(zone_of(6, p.zones.ces), Zone::Affection);
    }

    #[test]
    fn normalised_range() {
        assert_eq!(normalise(FeedbackKind::Nps, 0.0), 0.0);
        assert_eq!(normalise(FeedbackKind::Nps, 10.0), 100.0);
        assert_eq!(normalise(FeedbackKind::Csat, 1.0), 0.0);
        assert_eq!(normalise(FeedbackKind::Csat, 5.0), 100.0);
        assert_eq!(normalise(FeedbackKind::Ces, 7.0), 100.0);
    }
}
