//! The engine's summary: what a dashboard shows first — the input counts, the portfolio
//! figures, the models and the owners' cards — without any customer's details.

use super::Engine;
use crate::models::ModelsReport;
use crate::portfolio::{OwnerCard, Portfolio};
use crate::report::{InputReport, TableCounts};
use crate::keyed::Keyed;
use crate::time::Stamp;
use serde::Serialize;

/// The buying models in use and how fresh they are.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelsSummary {
    /// As in the report.
    #[serde(flatten)]
    pub report: ModelsReport,
    /// The `asOf` the model was fitted at (null when given in the options, or none is used).
    pub fitted_at: Option<Stamp>,
    /// Updates since the fit (the model is kept until `refit()`).
    pub updates_since_fit: u32,
}

/// Counts of the input per table (`received = used + rejected + future`), and in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct InputSummary {
    pub customers: TableCounts,
    pub orders: TableCounts,
    pub contacts: TableCounts,
    pub complaints: TableCounts,
    pub promises: TableCounts,
    pub feedback: TableCounts,
    pub deliveries: TableCounts,
    pub snoozes: TableCounts,
    /// Rejected rows in all (the first 1,000 listed by `rejected()`).
    pub rejected: usize,
    /// Tables missing from the export and what is therefore not evaluated.
    #[serde(rename = "notEvaluated")]
    pub not_evaluated: Vec<crate::report::NotEvaluated>,
    /// Every rejection counted per table and code.
    #[serde(rename = "rejectedByCode")]
    pub rejected_by_code: crate::input::store::RejectedByCode,
    /// Kept rows with a field ignored.
    pub warnings: usize,
}

impl InputSummary {
    pub(super) fn of(r: &InputReport, warnings: usize) -> Self {
        InputSummary {
            customers: r.customers,
            orders: r.orders,
            contacts: r.contacts,
            complaints: r.complaints,
            promises: r.promises,
            feedback: r.feedback,
            deliveries: r.deliveries,
            snoozes: r.snoozes,
            rejected: r.customers.rejected
                + r.orders.rejected
                + r.contacts.rejected
                + r.complaints.rejected
                + r.promises.rejected
                + r.feedback.rejected
                + r.deliveries.rejected
                + r.snoozes.rejected,
            rejected_by_code: r.rejected_by_code.clone(),
            not_evaluated: r.not_evaluated.clone(),
            warnings,
        }
    }
}

/// Counts for the portfolio's charts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Distribution {
    /// Customers by health, in ten bins: `[0, 10)`, `[10, 20)`, … `[90, 100]`.
    pub health: [usize; 10],
    /// Customers by value tier, then risk level.
    pub tier_risk: Keyed<&'static str, Keyed<&'static str, usize>>,
    /// Open actions by kind.
    pub actions: Keyed<&'static str, usize>,
}

/// The summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The instant of evaluation.
    pub as_of: String,
    /// The policy in force, defaults filled in.
    pub policy: crate::policy::Policy,
    /// Customers analysed.
    pub customers: usize,
    /// Open actions on the worklist.
    pub actions: usize,
    /// The input.
    pub input: InputSummary,
    /// Portfolio figures.
    pub portfolio: Portfolio,
    /// The buying models.
    pub models: ModelsSummary,
    /// Per owner scorecards.
    pub owners: Vec<OwnerCard>,
    /// Counts for charts.
    pub distribution: Distribution,
    /// Customers who entered the red band, high or critical risk, or dissolution in the last
    /// 7 and 30 days ([`super::changes`]).
    pub changes: super::changes::ChangeCounts,
    /// Updates applied.
    pub updates: u32,
}

impl Distribution {
    /// No customers: every tier and risk level present, at 0.
    pub fn empty() -> Self {
        let mut tier_risk: Keyed<&'static str, Keyed<&'static str, usize>> = Keyed::new();
        for t in ["A", "B", "C"] {
            let mut m = Keyed::new();
            for r in ["low", "medium", "high", "critical"] {
                m.insert(r, 0);
            }
            tier_risk.insert(t, m);
        }
        Distribution { health: [0; 10], tier_risk, actions: Keyed::new() }
    }
}

impl Engine {
    pub(super) fn distribution(&self) -> Distribution {
        let Distribution { mut health, mut tier_risk, mut actions } = Distribution::empty();
        for (c, e) in self.entries.iter().enumerate().filter(|(_, e)| e.alive) {
            health[((e.health / 10.0).floor().max(0.0) as usize).min(9)] += 1;
            let tier = match self.now_rank.tier(c) {
                crate::score::value::Tier::A => "A",
                crate::score::value::Tier::B => "B",
                crate::score::value::Tier::C => "C",
            };
            if let Some(n) = tier_risk.get_mut(&tier).and_then(|m| m.get_mut(&crate::score::actions::level_name(e.risk.level))) {
                *n += 1;
            }
            for a in &e.actions {
                *actions.entry(a.kind()) += 1;
            }
        }
        Distribution { health, tier_risk, actions }
    }

    /// The summary.
    pub fn summary(&self) -> Summary {
        self.part().summary(&self.options, self.models_summary(), self.updates)
    }
}
