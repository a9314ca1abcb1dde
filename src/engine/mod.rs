//! The engine: a portfolio loaded once, answering pages, single customers and the whole report,
//! and kept exact under updates.
//!
//! Loading reads the records into a [`Store`], fits the buying model (unless one is given), and
//! scores every customer at `asOf` and at `asOf` − 30 days (for the trend), keeping per customer
//! only what lists, filters and sorts need: its scores, flags and actions ([`Entry`]). Answers in
//! words (a customer's report, a page of the worklist) are built when asked, by the same
//! functions a fresh analysis uses ([`score`]), so they are equal to it. An update re-scores the
//! customers whose rows changed, then those whose tier changed and those whose referral links
//! see a change, and nobody else.

mod build;
pub mod changes;
mod export;
mod fold;
pub mod history;
mod lists;
mod pages;
pub mod query;
mod report;
pub mod score;
mod sorts;
pub mod split;
mod summary;
mod tiers;
mod update;

pub use build::{read_csv, read_json, read_json_with};
pub use pages::{CustomerRow, FlagItem, Page, RejectedPage};
pub use summary::Summary;
pub use update::UpdateResult;

use crate::analyze::Options;
use crate::calendar::Calendar;
use crate::error::Error;
use crate::input::store::Store;
use crate::models::{Fitted, ModelsReport};
use crate::score::actions::ActionCore;
use crate::score::health::Band;
use crate::score::neglect::FlagCore;
use crate::score::risk::{Level, RiskCore};
use crate::score::stage::Stage;
use crate::score::value::{Own, Ranking, RfmScales};
use crate::score::view::Ctx;
use crate::time::Instant;
use score::Frame;
use std::cell::RefCell;
use std::rc::Rc;

/// Days in the health trend.
pub const TREND_DAYS: i64 = 30;

/// What the engine keeps of one customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// Whether the slot holds a customer.
    pub alive: bool,
    /// Own figures at `asOf`.
    pub own: Own,
    /// Own figures 30 days before (for the tiers then).
    pub own_then: Own,
    /// Health score.
    pub health: f64,
    /// Health band.
    pub band: Band,
    /// The 30-day trend.
    pub trend: Option<f64>,
    /// The health score 30 days before, when the customer was known then.
    pub health_then: Option<f64>,
    /// Risk level without word of mouth.
    pub base_level: Level,
    /// The latest answer is in the defection zone.
    pub defecting: bool,
    /// Risk.
    pub risk: RiskCore,
    /// Stage.
    pub stage: Stage,
    /// The worklist rank key.
    pub priority: f64,
    /// Referral links that are unhappy or at high risk.
    pub exposure: u32,
    /// Open flags.
    pub flags: Vec<FlagCore>,
    /// Actions, most urgent first.
    pub actions: Vec<ActionCore>,
    /// The buying summary at `asOf`.
    pub summary: Option<crate::btyd::Summary>,
    /// CLV, with a model.
    pub clv: Option<f64>,
    /// The predicted lapse date, with a model (`buying.lapseAt`).
    pub lapse_at: Option<Instant>,
    /// Its states 7 and 30 days before, when it is in a watched state now (red band, high
    /// risk, dissolution; [`changes`]); `None` when not watched or not known then.
    pub past: [Option<history::State>; 2],
}

impl Entry {
    fn dead() -> Self {
        Entry {
            alive: false,
            own: Own::default(),
            own_then: Own::default(),
            health: 0.0,
            band: Band::Red,
            trend: None,
            health_then: None,
            base_level: Level::Low,
            defecting: false,
            risk: RiskCore { level: Level::Low, score: 0.0, reasons: Vec::new() },
            stage: Stage::Awareness,
            priority: 0.0,
            exposure: 0,
            flags: Vec::new(),
            actions: Vec::new(),
            summary: None,
            clv: None,
            lapse_at: None,
            past: [None, None],
        }
    }

    /// Whether word of mouth from this customer counts against its links.
    pub fn exposes(&self) -> bool {
        self.alive && (self.defecting || self.base_level >= Level::High)
    }

    /// Open, not snoozed flags.
    pub fn open_flags(&self) -> usize {
        self.flags.iter().filter(|f| !f.snoozed()).count()
    }
}

/// The buying models in use.
#[derive(Debug, Clone)]
pub struct Models {
    /// As reported.
    pub report: ModelsReport,
    /// Ready to score.
    pub fitted: Option<Fitted>,
    /// The instant the model was fitted at (null when given or none).
    pub fitted_at: Option<Instant>,
    /// Updates since then.
    pub updates_since_fit: u32,
}

/// A loaded portfolio.
#[derive(Debug)]
pub struct Engine {
    store: Rc<Store>,
    options: Options,
    cal: Calendar,
    then: Instant,
    models: Models,
    now_rank: Ranking,
    then_rank: Ranking,
    scales: RfmScales,
    /// Per slot, its RFM scores as the tenant gave them (an engine over one bucket).
    given_rfm: Option<Vec<Option<(u8, u8, u8)>>>,
    entries: Vec<Entry>,
    links: Vec<Vec<u32>>,
    /// Customers with actions, by priority descending, then id.
    order: Vec<u32>,
    updates: u32,
    cache: RefCell<lists::Cache>,
    /// Tier cuts of past instants (histories), until the records change.
    cuts: RefCell<Vec<(Instant, Rc<crate::score::cut::TierCut>)>>,
    /// The satisfaction drivers, until an update.
    drivers: RefCell<Option<Rc<crate::drivers::Drivers>>>,
}

impl Engine {
    /// Load an export given as JSON (an export or an envelope `{ asOf?, policy?, data }`) with
    /// the caller's options `{ asOf?, policy?, models? }` as JSON; `fallback_as_of` applies
    /// when neither gives `asOf` (the JavaScript wrapper passes the current time).
    pub fn load_json(bytes: &[u8], options: &serde_json::Value, fallback_as_of: Option<&str>) -> Result<Engine, Error> {
        let (store, opts) = build::read_json(bytes, options, fallback_as_of)?;
        Ok(Engine::build(Rc::new(store), opts))
    }

    /// Load one CSV file per table (`customers` required), with the options as JSON.
    pub fn load_csv(tables: &[(crate::input::records::Table, &[u8])], options: &serde_json::Value, fallback_as_of: Option<&str>) -> Result<Engine, Error> {
        let (store, opts) = build::read_csv(tables, options, fallback_as_of)?;
        Ok(Engine::build(Rc::new(store), opts))
    }

    /// An engine over a store.
    pub fn build(store: Rc<Store>, options: Options) -> Engine {
        build::engine(store, options)
    }

    /// A new engine over the same records at another instant (the same policy; the buying
    /// model is the given one, else fitted anew at that instant).
    pub fn at(&self, as_of: Instant) -> Engine {
        let mut options = self.options.clone();
        options.as_of = as_of;
        Engine::build(Rc::clone(&self.store), options)
    }

    /// Refit the buying model on the current records and re-score every customer (a model given
    /// in `options.models`, or `false`, is replaced by the fit: `at()` fits again too).
    pub fn refit(&mut self) {
        let mut options = self.options.clone();
        options.models = None;
        let updates = self.updates;
        *self = Engine::build(Rc::clone(&self.store), options);
        self.updates = updates;
    }

    /// The instant of evaluation.
    pub fn as_of(&self) -> Instant {
        self.options.as_of
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The records.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The models in use.
    pub fn models(&self) -> &Models {
        &self.models
    }

    /// The models in use, as `options.models` takes them: a fresh load with these gives the
    /// same scores (`false` when none is used).
    pub fn given_models(&self) -> crate::models::GivenModels {
        let r = &self.models.report;
        match (&r.buying, &self.models.fitted) {
            (Some(b), Some(f)) => crate::models::GivenModels { buying: Some(b.clone()), spend: r.spend.clone().filter(|_| f.has_spend()) },
            _ => crate::models::GivenModels { buying: None, spend: None },
        }
    }

    /// The kept state of a customer slot.
    pub fn entry(&self, c: usize) -> Option<&Entry> {
        self.entries.get(c).filter(|e| e.alive)
    }

    /// Updates applied so far.
    pub fn updates(&self) -> u32 {
        self.updates
    }

    fn ctx(&self, as_of: Instant) -> Ctx<'_> {
        Ctx::new(&self.store, &self.options.policy, &self.cal, as_of)
    }

    fn frame_now(&self) -> Frame<'_> {
        Frame { cx: self.ctx(self.options.as_of), ranking: &self.now_rank, model: self.models.fitted.as_ref(), cut: None }
    }

    fn frame_then(&self) -> Frame<'_> {
        Frame { cx: self.ctx(self.then), ranking: &self.then_rank, model: self.models.fitted.as_ref(), cut: None }
    }

    /// The slot of a customer id (alive).
    pub fn slot(&self, id: &str) -> Option<usize> {
        self.store.customer(id).map(|s| s as usize).filter(|c| self.entries.get(*c).is_some_and(|e| e.alive))
    }

    /// Customer `c`'s RFM report, from the portfolio's scales (or the tenant's scores).
    fn rfm(&self, c: usize, o: &Own) -> Option<crate::score::value::Rfm> {
        let k = crate::score::value::rfm_key(o, self.options.as_of)?;
        match &self.given_rfm {
            Some(g) => g.get(c).copied().flatten().map(|s| crate::score::value::Rfm::of(s, k, o)),
            None => Some(self.scales.rfm(k, o)),
        }
    }

    /// The ids of customer `c`'s referral links that are unhappy or at high risk, sorted.
    fn exposure_ids(&self, c: usize) -> Vec<String> {
        let d = &self.store.data;
        let mut ids: Vec<String> =
            self.links[c].iter().filter(|o| self.entries[**o as usize].exposes()).map(|o| d.customer_id(*o as usize).to_owned()).collect();
        crate::sort::sort_strings(&mut ids);
        ids.dedup();
        ids
    }

    fn exposure_count(&self, c: usize) -> usize {
        let mut linked: Vec<u32> = self.links.get(c).map_or(Vec::new(), |l| l.iter().copied().filter(|o| self.entries[*o as usize].exposes()).collect());
        crate::sort::sort_u32(&mut linked);
        linked.dedup();
        linked.len()
    }

    /// Re-score customer `c` from its rows (its tier, the model and its links as they are).
    fn rescore(&mut self, c: usize) {
        if !self.store.data.customers.get(c).is_some_and(|x| x.alive) {
            self.entries[c] = Entry::dead();
            return;
        }
        let exposure = self.exposure_count(c);
        let ft = self.frame_then();
        let then_s = score::score(&ft, c, false);
        let then = then_s.first_known.filter(|t| *t <= self.then).map(|_| then_s.health.score);
        let f = self.frame_now();
        let s = score::score(&f, c, true);
        let trend = score::trend(&s, then);
        let a = score::assess(&f, &s, c, trend, exposure);
        let now = history::State { band: s.health.band, level: a.base.level, stage: a.stage };
        let past = if changes::watched(&now) { [self.past_state(c, self.options.as_of - 7 * crate::time::DAY_MS, None, now), self.past_state(c, self.then, Some(&then_s), now)] } else { [None, None] };
        let e = Entry {
            alive: true,
            own: s.own,
            own_then: self.entries[c].own_then,
            health: s.health.score,
            band: s.health.band,
            trend,
            health_then: then,
            base_level: a.base.level,
            defecting: s.defecting(),
            risk: a.risk,
            stage: a.stage,
            priority: a.priority,
            exposure: exposure as u32,
            flags: s.flags,
            actions: a.actions,
            summary: s.summary,
            clv: s.clv,
            lapse_at: s.buying.lapse_at.map(|l| l.t),
            past,
        };
        self.entries[c] = e;
    }

}
