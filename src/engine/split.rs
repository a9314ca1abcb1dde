//! One bucket of a portfolio split into parts ([`crate::split`]): an engine over the bucket's
//! records with the tenant's figures given, and the [`Part`] of the summary it counts — parts
//! merge into the summary one engine over the whole portfolio gives.
//!
//! A bucket's engine answers its customers' reports, the worklist of its customers and its
//! part; not histories, drivers or updates (they would need the other buckets' records).

use super::summary::{Distribution, InputSummary, ModelsSummary, Summary};
use super::Engine;
use crate::analyze::Options;
use crate::input::records::Table;
use crate::input::store::Store;
use crate::portfolio::parts::{DailyPart, OwnersPart, PortfolioPart};
use crate::report::{InputReport, NotEvaluated};
use crate::split::Given;
use crate::time::{format_instant, Stamp};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

/// The counts of an engine's summary, to be added to other buckets'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    customers: usize,
    actions: usize,
    /// Per table: received, used, rejected, future.
    tables: Vec<[usize; 4]>,
    /// Rejections per (table, code), in the order first seen.
    by_code: Vec<(u8, String, usize)>,
    present: [bool; 8],
    warnings: usize,
    portfolio: PortfolioPart,
    daily: DailyPart,
    owners: OwnersPart,
    health: [usize; 10],
    /// Customers by tier (A, B, C), then risk level (low … critical).
    tier_risk: [[usize; 4]; 3],
    /// Open actions per kind, in [`crate::score::actions::KINDS`] order.
    action_kinds: Vec<usize>,
    /// Entered red, high risk, dissolution in 7 and in 30 days.
    changes: [[usize; 3]; 2],
}

impl Engine {
    /// An engine over one bucket's records, with the tenant's figures `given`
    /// ([`crate::split`]): its customers score as they do in one engine over the whole tenant.
    pub fn build_given(store: Rc<Store>, options: Options, given: &Given) -> Engine {
        super::build::engine_with(store, options, Some(given))
    }

    /// The counts of this engine's summary.
    pub fn part(&self) -> Part {
        let as_of = self.options.as_of;
        let input = self.input_report(false);
        let dist = self.distribution();
        let tier_risk = ["A", "B", "C"].map(|t| ["low", "medium", "high", "critical"].map(|r| dist.tier_risk.get(t).and_then(|m| m.get(r)).copied().unwrap_or(0)));
        let changes = self.change_counts();
        let entered = |e: super::changes::Entered| [e.red, e.high_risk, e.dissolution];
        Part {
            customers: self.entries.iter().filter(|e| e.alive).count(),
            actions: self.order.iter().map(|c| self.entries[*c as usize].actions.len()).sum(),
            tables: Table::ALL.iter().map(|t| input.table(*t)).map(|c| [c.received, c.used, c.rejected, c.future]).collect(),
            by_code: input.rejected_by_code.0.iter().map(|(t, c, n)| (*t, (*c).to_owned(), *n)).collect(),
            present: self.store.present,
            warnings: self.warnings().len(),
            portfolio: PortfolioPart::of(self.facts()),
            daily: DailyPart::of(&self.store, as_of),
            owners: OwnersPart::of(&self.store, &self.cal, as_of, self.facts()),
            health: dist.health,
            tier_risk,
            action_kinds: crate::score::actions::KINDS.iter().map(|k| dist.actions.get(k).copied().unwrap_or(0)).collect(),
            changes: [entered(changes.days7), entered(changes.days30)],
        }
    }

    /// Where a customer's actions fall in the worklist, across buckets too: the worklist lists
    /// customers by this key ascending, then by id, each customer's actions in their order.
    pub fn worklist_key(&self, id: &str) -> Option<u64> {
        self.slot(id).map(|c| !super::sorts::num(self.entries[c].priority))
    }

    /// The models in use, as the summary reports them.
    pub(super) fn models_summary(&self) -> ModelsSummary {
        ModelsSummary {
            report: self.models_report(),
            fitted_at: self.models.fitted_at.map(|t| Stamp::new(t, self.options.policy.offset_secs)),
            updates_since_fit: self.models.updates_since_fit,
        }
    }
}

impl Part {
    /// Add another bucket's counts.
    pub fn merge(&mut self, o: &Part) {
        self.customers += o.customers;
        self.actions += o.actions;
        for (a, b) in self.tables.iter_mut().zip(&o.tables) {
            for j in 0..4 {
                a[j] += b[j];
            }
        }
        for (t, code, n) in &o.by_code {
            match self.by_code.iter_mut().find(|x| x.0 == *t && x.1 == *code) {
                Some(x) => x.2 += n,
                None => self.by_code.push((*t, code.clone(), *n)),
            }
        }
        for k in 0..8 {
            self.present[k] |= o.present[k];
        }
        self.warnings += o.warnings;
        self.portfolio.merge(&o.portfolio);
        self.daily.merge(&o.daily);
        self.owners.merge(&o.owners);
        for k in 0..10 {
            self.health[k] += o.health[k];
        }
        for t in 0..3 {
            for r in 0..4 {
                self.tier_risk[t][r] += o.tier_risk[t][r];
            }
        }
        self.action_kinds.resize(self.action_kinds.len().max(o.action_kinds.len()), 0);
        for (k, n) in o.action_kinds.iter().enumerate() {
            self.action_kinds[k] += n;
        }
        for w in 0..2 {
            for s in 0..3 {
                self.changes[w][s] += o.changes[w][s];
            }
        }
    }

    /// The summary of these counts at `options`, with the models in use and the updates
    /// applied.
    pub fn summary(&self, options: &Options, models: ModelsSummary, updates: u32) -> Summary {
        let cal = options.policy.calendar();
        let mut input = InputReport::default();
        for (k, t) in Table::ALL.iter().enumerate() {
            let c = input.table_mut(*t);
            [c.received, c.used, c.rejected, c.future] = self.tables.get(k).copied().unwrap_or_default();
        }
        let mut by_code: Vec<(u8, &'static str, usize)> = self
            .by_code
            .iter()
            .filter_map(|(t, c, n)| crate::error::REASON_CODES.iter().find(|x| **x == c.as_str()).map(|c| (*t, *c, *n)))
            .collect();
        // Table by table (a table's codes in the order first seen).
        crate::sort::sort_by(&mut by_code, |a, b| a.0.cmp(&b.0));
        input.rejected_by_code = crate::input::store::RejectedByCode(by_code);
        input.not_evaluated = NotEvaluated::of(&self.present);
        let mut dist = Distribution::empty();
        dist.health = self.health;
        for (t, tier) in ["A", "B", "C"].iter().enumerate() {
            for (r, level) in ["low", "medium", "high", "critical"].iter().enumerate() {
                if let Some(n) = dist.tier_risk.get_mut(tier).and_then(|m| m.get_mut(level)) {
                    *n = self.tier_risk[t][r];
                }
            }
        }
        for (kind, n) in crate::score::actions::KINDS.iter().zip(&self.action_kinds).filter(|(_, n)| **n > 0) {
            dist.actions.insert(kind, *n);
        }
        let entered = |c: [usize; 3]| super::changes::Entered { red: c[0], high_risk: c[1], dissolution: c[2] };
        Summary {
            as_of: format_instant(options.as_of, options.policy.offset_secs),
            policy: options.policy.clone(),
            customers: self.customers,
            actions: self.actions,
            input: InputSummary::of(&input, self.warnings),
            portfolio: self.portfolio.figures(self.daily.points(&cal, options.as_of)),
            models,
            owners: self.owners.cards(),
            distribution: dist,
            changes: super::changes::ChangeCounts { days7: entered(self.changes[0]), days30: entered(self.changes[1]) },
            updates,
        }
    }
}

/// The summary of a portfolio scored in buckets: their parts merged (`parts` in any order),
/// with the tenant's models.
pub fn merge(parts: &[Part], options: &Options, given: &Given) -> Option<Summary> {
    let (first, rest) = parts.split_first()?;
    let mut all = first.clone();
    for p in rest {
        all.merge(p);
    }
    let s = &given.stats;
    let models = ModelsSummary {
        report: s.models.clone(),
        fitted_at: s.fitted_at.map(|t| Stamp::new(t, options.policy.offset_secs)),
        updates_since_fit: 0,
    };
    Some(all.summary(options, models, 0))
}
