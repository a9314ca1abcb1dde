//! One customer's history: its health, risk and stage at weekly points ending at `asOf`, each
//! a point-in-time re-run (the rows known that day, the tiers of that day, the trend against
//! 30 days before it), and between consecutive points the change with its attribution.
//!
//! Two things are not re-run for the past: the buying model (the one in use scores every
//! point; refitting it per week would cost a portfolio fit each) and word of mouth (a linked
//! customer's state then would need its own history): a point's risk is the risk of the
//! customer's own records.

use super::score::{self, Frame, Scored};
use super::{Engine, TREND_DAYS};
use crate::error::Error;
use crate::score::attribution::{self, Cause, Contributions, Side};
use crate::score::cut::TierCut;
use crate::score::health::Band;
use crate::score::risk::Level;
use crate::score::stage::Stage;
use crate::time::{Instant, Stamp, DAY_MS};
use serde::Serialize;
use std::rc::Rc;

/// The longest history, in weeks.
pub const MAX_WEEKS: u32 = 104;

/// The default history, in weeks.
pub const DEFAULT_WEEKS: u32 = 26;

/// Health at a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointHealth {
    /// 0–100.
    pub score: f64,
    /// Its band.
    pub band: Band,
    /// The component scores, 0–100.
    pub components: Contributions,
}

/// Risk at a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointRisk {
    /// Its level.
    pub level: Level,
    /// 0–1.
    pub score: f64,
}

/// What the analysis said at one instant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The instant.
    pub at: Stamp,
    /// Health.
    pub health: PointHealth,
    /// Risk (of the customer's own records).
    pub risk: PointRisk,
    /// Stage.
    pub stage: Stage,
}

/// The change between two consecutive points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The earlier point.
    pub from: Stamp,
    /// The later point.
    pub to: Stamp,
    /// The health score's change.
    pub delta: f64,
    /// The components' contributions, which add up to `delta`.
    pub components: Contributions,
    /// The rows behind them.
    pub causes: Vec<Cause>,
}

/// A customer's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The customer.
    pub id: String,
    /// Weeks asked for.
    pub weeks: u32,
    /// Oldest first, from the first week the customer was known.
    pub points: Vec<Point>,
    /// One per pair of consecutive points.
    pub changes: Vec<Change>,
}

/// The state of a customer at an instant, as a point has it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct State {
    /// Health band.
    pub band: Band,
    /// Risk level (own records).
    pub level: Level,
    /// Stage.
    pub stage: Stage,
}

impl Engine {
    /// Customer `id`'s history over `weeks` weeks (1–104), or `None` for an unknown id.
    pub fn history(&self, id: &str, weeks: u32) -> Result<Option<History>, Error> {
        if !(1..=MAX_WEEKS).contains(&weeks) {
            return Err(Error::option("options.weeks", format!("must be a whole number of weeks from 1 to {MAX_WEEKS}, got {weeks}")));
        }
        let Some(c) = self.slot(id) else { return Ok(None) };
        let as_of = self.options.as_of;
        let instants: Vec<Instant> = (0..=i64::from(weeks)).rev().map(|k| as_of - k * 7 * DAY_MS).collect();
        let off = self.options.policy.offset_secs;
        let mut points = Vec::new();
        let mut changes = Vec::new();
        let trend_instants = instants.iter().map(|t| t - TREND_DAYS * DAY_MS);
        self.cuts_for(&instants.iter().copied().chain(trend_instants).collect::<Vec<_>>());
        let mut prev: Option<(Instant, Rc<TierCut>, Scored)> = None;
        for t in instants {
            let cut = self.cut(t);
            let f = self.frame_cut(t, &cut);
            let Some((s, state, risk)) = self.point(&f, c) else { continue };
            points.push(Point {
                at: Stamp::new(t, off),
                health: PointHealth { score: s.health.score, band: s.health.band, components: parts(&s) },
                risk: PointRisk { level: state.level, score: risk },
                stage: state.stage,
            });
            if let Some((t0, cut0, s0)) = &prev {
                let f0 = self.frame_cut(*t0, cut0);
                let a = attribution::attribute(&side(&f0, &s0, c), &side(&f, &s, c));
                changes.push(Change { from: Stamp::new(*t0, off), to: Stamp::new(t, off), delta: a.delta, components: a.components, causes: a.causes });
            }
            prev = Some((t, cut, s));
        }
        Ok(Some(History { id: self.store.data.customer_id(c).to_owned(), weeks, points, changes }))
    }

    /// Customer `c`'s state at instant `t` (`None` when it was not known then).
    pub(super) fn state_at(&self, c: usize, t: Instant) -> Option<State> {
        let cut = self.cut(t);
        let f = self.frame_cut(t, &cut);
        self.point(&f, c).map(|p| p.1)
    }

    /// Customer `c`'s state at `t` for the state changes, `now` its state at `asOf` (`scored`:
    /// its scores at `t` when at hand). Of the risk level only which side of high it is on
    /// counts, and only when `c` is at high risk now (else it cannot have entered it): the
    /// trend (a score 30 days before `t`) is re-run only when it decides that side.
    pub(super) fn past_state(&self, c: usize, t: Instant, scored: Option<&Scored>, now: State) -> Option<State> {
        let cut = self.cut(t);
        let f = self.frame_cut(t, &cut);
        let own;
        let s = match scored {
            Some(s) => s,
            None => {
                own = score::score(&f, c, false);
                &own
            }
        };
        if s.first_known.is_none_or(|k| k > t) {
            return None;
        }
        // The trend only adds a reason (health falling): when the level is on the same side of
        // high without it and with it, the score 30 days before is not needed.
        let (level, stage) = score::level_and_stage(s, None);
        let (falling, _) = score::level_and_stage(s, Some(-100.0));
        let level = if now.level >= Level::High && (level >= Level::High) != (falling >= Level::High) {
            let then = t - TREND_DAYS * DAY_MS;
            let cut = self.cut(then);
            let past = score::score(&self.frame_cut(then, &cut), c, false);
            score::level_and_stage(s, score::trend(s, past.first_known.filter(|k| *k <= then).map(|_| past.health.score))).0
        } else {
            level
        };
        Some(State { band: s.health.band, level, stage })
    }

    /// Score `c` at the frame's instant with its trend and assess it (no word of mouth).
    fn point(&self, f: &Frame, c: usize) -> Option<(Scored, State, f64)> {
        let t = f.cx.as_of;
        let s = score::score(f, c, false);
        if s.first_known.is_none_or(|k| k > t) {
            return None;
        }
        let then = t - TREND_DAYS * DAY_MS;
        let cut = self.cut(then);
        let fp = self.frame_cut(then, &cut);
        let past = score::score(&fp, c, false);
        let trend = score::trend(&s, past.first_known.filter(|k| *k <= then).map(|_| past.health.score));
        let a = score::assess(f, &s, c, trend, 0);
        let state = State { band: s.health.band, level: a.risk.level, stage: a.stage };
        Some((s, state, a.risk.score))
    }

    /// A frame at `t` with tiers from `cut`.
    fn frame_cut<'a>(&'a self, t: Instant, cut: &'a TierCut) -> Frame<'a> {
        Frame { cx: self.ctx(t), ranking: &self.now_rank, model: self.models.fitted.as_ref(), cut: Some(cut) }
    }
}

fn parts(s: &Scored) -> Contributions {
    let p = s.health.parts;
    Contributions { satisfaction: p[0], buying: p[1], attention: p[2], service: p[3] }
}

/// One side of an attribution from a frame and a customer's scores there.
pub(super) fn side<'a>(f: &'a Frame<'a>, s: &'a Scored, c: usize) -> Side<'a> {
    Side { cx: &f.cx, view: f.cx.view(c), health: &s.health, buying: &s.buying, flags: &s.flags }
}
