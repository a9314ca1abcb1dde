//! One customer's analysis at one instant: the scores from its own rows ([`score`]), then what
//! depends on the portfolio and on its referral links ([`assess`]), then the words of the
//! report ([`describe`]). Loading, updating and answering one customer all go through these
//! three functions, which is what keeps every answer of the engine equal to a fresh analysis.

use crate::btyd::Summary;
use crate::input::records::Table;
use crate::models::{self, Fitted};
use crate::report::CustomerReport;
use crate::score::actions::{self, ActionCore};
use crate::score::buying::{self, Buying};
use crate::score::health::{self, HealthCore};
use crate::score::neglect::{self, FlagCore};
use crate::score::risk::{self, RiskCore};
use crate::score::satisfaction::{self, Satisfaction, Zone};
use crate::score::stage::{self, Stage};
use crate::score::value::{self, Own, Ranking, Tier};
use crate::score::view::Ctx;
use crate::score::r2;
use crate::time::{Instant, DAY_MS};

/// An instant's context with the portfolio's tiers and the buying model.
pub struct Frame<'a> {
    /// Records, policy, calendar and instant.
    pub cx: Ctx<'a>,
    /// Tiers at that instant.
    pub ranking: &'a Ranking,
    /// The buying model, when one is used.
    pub model: Option<&'a Fitted>,
    /// The tiers of a past instant without its whole ranking (a history's points): when given,
    /// it sets the tier instead of `ranking`.
    pub cut: Option<&'a crate::score::cut::TierCut>,
}

impl Frame<'_> {
    /// Customer `c`'s tier, given its own figures at the frame's instant.
    pub fn tier(&self, c: usize, own: &Own) -> Tier {
        match self.cut {
            Some(k) => k.tier(own.revenue12m, self.cx.data().customer_id(c)),
            None => self.ranking.tier(c),
        }
    }
}

/// What a customer's own rows give at one instant.
pub struct Scored {
    /// Revenue and order figures.
    pub own: Own,
    /// Its tier (from the portfolio).
    pub tier: Tier,
    /// Satisfaction.
    pub satisfaction: Satisfaction,
    /// Buying behaviour, with the model's P(alive) and expected purchases.
    pub buying: Buying,
    /// Open neglect flags, most overdue first.
    pub flags: Vec<FlagCore>,
    /// Health (without its trend).
    pub health: HealthCore,
    /// Lifetime value, with a model.
    pub clv: Option<f64>,
    /// The buying summary (weeks), for the model.
    pub summary: Option<Summary>,
    /// The first known date.
    pub first_known: Option<Instant>,
}

/// Score customer `c` at the frame's instant. `full` adds what only the present needs (the
/// expected purchases and the CLV); the past instant of the trend needs the health only.
pub fn score(f: &Frame, c: usize, full: bool) -> Scored {
    let cx = &f.cx;
    let v = cx.view(c);
    let policy = cx.policy;
    let own = value::own(&v);
    let tier = f.tier(c, &own);
    let satisfaction = satisfaction::compute(&v, policy);
    let mut buying = buying::compute(&v, policy.offset_secs, |t| cx.cal.day(t));
    if !cx.store.present[Table::Orders as usize] {
        buying.status = buying::Status::NotRecorded;
    }
    let summary = models::customer_summary(&v, policy.offset_secs);
    let mut clv = None;
    if let (Some(m), Some(s)) = (f.model, &summary) {
        let mean_order = (own.orders > 0).then(|| r2(own.total) / f64::from(own.orders));
        if full {
            lapse(&mut buying, models::lapse_days(m, s, policy.lapse_threshold), v.as_of, cx.cal.day(v.as_of), policy.offset_secs);
        }
        if let Some(p) = models::predict(m, s, mean_order, full) {
            buying.p_alive = Some((p.p_alive * 1e4).round() / 1e4);
            if full {
                buying.expected_purchases = Some(r2(p.expected_purchases));
                clv = p.clv.map(r2);
            }
        }
    }
    let flags = neglect::detect(cx, &v, tier);
    let health = health::compute(&health::Inputs { satisfaction: &satisfaction, buying: &buying, flags: &flags }, policy, health::recorded(&cx.store.present));
    let first_known = v.first_known();
    Scored { own, tier, satisfaction, buying, flags, health, clv, summary, first_known }
}

/// What depends on the portfolio: the trend, risk, stage, actions and priority.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessed {
    /// Health now minus health 30 days before (null when the customer was unknown then).
    pub trend: Option<f64>,
    /// Risk without word of mouth (what the customer's referral links see).
    pub base: RiskCore,
    /// Risk.
    pub risk: RiskCore,
    /// Relationship stage.
    pub stage: Stage,
    /// What to do.
    pub actions: Vec<ActionCore>,
    /// risk × (1 + value).
    pub priority: f64,
}

impl Scored {
    /// Whether the latest answer is in the defection zone.
    pub fn defecting(&self) -> bool {
        self.satisfaction.zone == Some(Zone::Defection)
    }

    /// The value a priority weighs: the larger of the trailing revenue and the CLV.
    pub fn worth(&self) -> f64 {
        r2(self.own.revenue12m).max(self.clv.unwrap_or(0.0)).max(0.0)
    }

    fn risk_inputs(&self, trend: Option<f64>, exposure: usize) -> risk::Inputs<'_> {
        risk::Inputs {
            buying: &self.buying,
            satisfaction: &self.satisfaction,
            flags: &self.flags,
            health: self.health.score,
            band: self.health.band,
            trend,
            exposure,
        }
    }
}

/// The risk level (own records, no word of mouth) and the stage of a scored customer — what a
/// state change compares, without the actions `assess` also builds.
pub fn level_and_stage(s: &Scored, trend: Option<f64>) -> (crate::score::risk::Level, Stage) {
    let level = risk::compute(&s.risk_inputs(trend, 0)).level;
    let stage = stage::stage(&s.buying, &s.satisfaction, r2(s.own.revenue12m), r2(s.own.revenue_prev12m), &s.flags);
    (level, stage)
}

/// The trend from the score 30 days before (`then`: that score, when the customer was known).
pub fn trend(now: &Scored, then: Option<f64>) -> Option<f64> {
    then.map(|t| r2(now.health.score - t))
}

/// Assess a scored customer given its trend and how many of its referral links are unhappy or
/// at high risk.
pub fn assess(f: &Frame, s: &Scored, c: usize, trend: Option<f64>, exposure: usize) -> Assessed {
    let base = risk::compute(&s.risk_inputs(trend, 0));
    let risk = if exposure == 0 { base.clone() } else { risk::compute(&s.risk_inputs(trend, exposure)) };
    let as_of = f.cx.as_of;
    let actions = actions::compute(&actions::Context {
        satisfaction: &s.satisfaction,
        buying: &s.buying,
        flags: &s.flags,
        health: &s.health,
        level: risk.level,
        tier: s.tier,
        owner: f.cx.data().customers[c].owner,
        days_since_feedback: s.satisfaction.last_feedback.map(|t| (as_of - t) as f64 / DAY_MS as f64),
        recovered: recovered(f, s, c),
    });
    let stage = stage::stage(&s.buying, &s.satisfaction, r2(s.own.revenue12m), r2(s.own.revenue_prev12m), &s.flags);
    let priority = priority(risk.score, s.worth());
    Assessed { trend, base, risk, stage, actions, priority }
}

/// Health if a detractor's next answer were the lowest of the indifference zone.
fn recovered(f: &Frame, s: &Scored, c: usize) -> Option<f64> {
    use crate::input::records::FeedbackKind;
    if s.satisfaction.zone != Some(Zone::Defection) {
        return None;
    }
    let kind = s.satisfaction.zone_kind?;
    let z = &f.cx.policy.zones;
    let score = match kind {
        FeedbackKind::Nps => z.nps.indifference,
        FeedbackKind::Csat => z.csat.indifference,
        FeedbackKind::Ces => z.ces.indifference,
    };
    let index = satisfaction::index_with(&f.cx.view(c), kind, score);
    Some(health::score_with_index(&s.health, &s.satisfaction, index))
}

/// The worklist rank key: risk × value — the revenue expected to be lost — with value + 1 so
/// that risk still orders customers without revenue. Value is the larger of the trailing
/// 12 months' revenue and the CLV when a buying model is fitted.
pub fn priority(risk: f64, value: f64) -> f64 {
    r2(risk * (1.0 + value))
}

/// The customer's report, in words.
/// `trend`: the trend's attribution, when the customer was known 30 days before.
#[allow(clippy::too_many_arguments)]
pub fn describe(
    f: &Frame,
    mut s: Scored,
    a: Assessed,
    c: usize,
    rfm: Option<crate::score::value::Rfm>,
    exposure: Vec<String>,
    referred_by: Option<String>,
    trend: Option<crate::score::attribution::Attribution>,
) -> CustomerReport {
    let cx = &f.cx;
    let d = cx.data();
    s.buying.last_order_id = s.buying.last_order_slot.and_then(|x| d.row_id(Table::Orders, x)).map(str::to_owned);
    s.satisfaction.last_feedback_id = s.satisfaction.last_feedback_slot.and_then(|x| d.row_id(Table::Feedback, x)).map(str::to_owned);
    let cust = &d.customers[c];
    let hi = health::Inputs { satisfaction: &s.satisfaction, buying: &s.buying, flags: &s.flags };
    let mut health = health::describe(&s.health, &hi, a.trend);
    if let (Some(t), Some(_)) = (trend, a.trend) {
        health.trend_components = Some(t.components);
        health.trend_causes = t.causes;
    }
    let risk = risk::describe(&a.risk, &s.risk_inputs(a.trend, exposure.len()));
    let value = value::describe(&s.own, f.ranking, rfm, c, s.clv, cx.policy.offset_secs);
    let neglect = s.flags.iter().map(|x| neglect::describe(x, cx)).collect();
    let actions = a.actions.iter().map(|x| actions::describe(x, cx)).collect();
    CustomerReport {
        id: d.s(cust.id).to_owned(),
        name: d.opt(cust.name).map(str::to_owned),
        owner: d.owner(cust.owner).map(str::to_owned),
        segment: d.opt(cust.segment).map(str::to_owned),
        referred_by,
        health,
        satisfaction: s.satisfaction,
        value,
        buying: s.buying,
        neglect,
        stage: a.stage,
        risk,
        exposure,
        actions,
        priority: a.priority,
    }
}

/// A row's id for evidence.
pub fn row_id(d: &crate::input::records::Dataset, t: Table, slot: u32) -> String {
    d.row_id(t, slot).unwrap_or("").to_owned()
}

/// The lapse date (within 5 years) or the day the customer lapsed, `days` from `day`, the local
/// day of `as_of` (where the model's `T` ends).
fn lapse(b: &mut buying::Buying, days: Option<f64>, as_of: Instant, day: i64, offset_secs: i32) {
    const HORIZON_DAYS: f64 = 5.0 * 365.25;
    let Some(d) = days.filter(|d| d.is_finite() && *d <= HORIZON_DAYS) else { return };
    let day_start = day * DAY_MS - i64::from(offset_secs) * 1000;
    let at = day_start + (d * DAY_MS as f64).round() as i64;
    let stamp = crate::time::Stamp::new(at.max(crate::time::MIN_INSTANT), offset_secs);
    if at >= as_of {
        b.lapse_at = Some(stamp);
    } else {
        b.lapsed_since = Some(stamp);
    }
}
