//! The engine's summary: what a dashboard shows first — the input counts, the portfolio
//! figures, the models and the owners' cards — without any customer's details.

use super::Engine;
use crate::models::ModelsReport;
use crate::portfolio::{self, OwnerCard, Portfolio};
use crate::report::{InputReport, TableCounts};
use crate::time::{format_instant, Stamp};
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
    /// Rejected rows in all (listed by `rejected()`).
    pub rejected: usize,
    /// Kept rows with a field ignored.
    pub warnings: usize,
}

impl InputSummary {
    fn of(r: &InputReport, rejected: usize, warnings: usize) -> Self {
        InputSummary {
            customers: r.customers,
            orders: r.orders,
            contacts: r.contacts,
            complaints: r.complaints,
            promises: r.promises,
            feedback: r.feedback,
            deliveries: r.deliveries,
            snoozes: r.snoozes,
            rejected,
            warnings,
        }
    }
}

/// The summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// The instant of evaluation.
    pub as_of: String,
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
    /// Updates applied.
    pub updates: u32,
}

impl Engine {
    /// The summary.
    pub fn summary(&self) -> Summary {
        let as_of = self.options.as_of;
        let off = self.options.policy.offset_secs;
        let tables = self.input_report(false);
        let warnings = self.warnings().len();
        let daily = portfolio::daily(&self.store, &self.cal, as_of);
        Summary {
            as_of: format_instant(as_of, off),
            customers: self.entries.iter().filter(|e| e.alive).count(),
            actions: self.order.iter().map(|c| self.entries[*c as usize].actions.len()).sum(),
            input: InputSummary::of(&tables, self.store.rejected.len(), warnings),
            portfolio: portfolio::portfolio(self.facts(), daily),
            models: ModelsSummary {
                report: self.models_report(),
                fitted_at: self.models.fitted_at.map(|t| Stamp::new(t, off)),
                updates_since_fit: self.models.updates_since_fit,
            },
            owners: portfolio::owners(&self.store, &self.cal, as_of, self.facts()),
            updates: self.updates,
        }
    }
}
