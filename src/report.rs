//! The report returned by [`crate::analyze`]: plain data, serialised to JSON with camelCase
//! keys; absent values are `null`, numbers are always finite.

use crate::input::records::Table;
use crate::input::store::Rejection;
use crate::policy::Policy;
use crate::portfolio::{OwnerCard, Portfolio, WorkItem};
use crate::score::actions::Action;
use crate::score::buying::Buying;
use crate::score::health::Health;
use crate::score::neglect::Flag;
use crate::score::risk::Risk;
use crate::score::satisfaction::Satisfaction;
use crate::score::stage::Stage;
use crate::score::value::Value;
use serde::Serialize;

/// Row counts of one table: `received = used + rejected + future`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct TableCounts {
    /// Rows in the input.
    pub received: usize,
    /// Rows analysed.
    pub used: usize,
    /// Rows rejected (listed in `rejected`).
    pub rejected: usize,
    /// Rows dated after `asOf`, left out.
    pub future: usize,
}

/// A table missing from the export and the rules left out for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotEvaluated {
    /// The table.
    pub table: Table,
    /// What is not evaluated without it.
    pub rules: &'static str,
}

impl NotEvaluated {
    /// What the tables present leave out, in table order.
    pub fn of(present: &[bool; 8]) -> Vec<NotEvaluated> {
        crate::score::neglect::NOT_EVALUATED.iter().filter(|(t, _)| !present[*t as usize]).map(|(table, rules)| NotEvaluated { table: *table, rules }).collect()
    }
}

/// What happened to the input.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[allow(missing_docs)]
pub struct InputReport {
    pub customers: TableCounts,
    pub orders: TableCounts,
    pub contacts: TableCounts,
    pub complaints: TableCounts,
    pub promises: TableCounts,
    pub feedback: TableCounts,
    pub deliveries: TableCounts,
    pub snoozes: TableCounts,
    /// The first 1,000 rejected rows with the field and the reason.
    pub rejected: Vec<Rejection>,
    /// Rejected rows not listed in `rejected` (past the first 1,000).
    #[serde(rename = "rejectedOmitted")]
    pub rejected_omitted: usize,
    /// Every rejection counted per table and code: `{ orders: { invalid_number: 3 } }`.
    #[serde(rename = "rejectedByCode")]
    pub rejected_by_code: crate::input::store::RejectedByCode,
    /// Tables missing from the export and what is therefore not evaluated (an absent table is
    /// "not recorded", an empty one "recorded, none").
    #[serde(rename = "notEvaluated")]
    pub not_evaluated: Vec<NotEvaluated>,
    /// Rows kept with one field ignored (an unknown `referredBy`).
    pub warnings: Vec<Rejection>,
}

impl InputReport {
    /// The counts of a table.
    pub fn table(&self, t: Table) -> &TableCounts {
        match t {
            Table::Customers => &self.customers,
            Table::Orders => &self.orders,
            Table::Contacts => &self.contacts,
            Table::Complaints => &self.complaints,
            Table::Promises => &self.promises,
            Table::Feedback => &self.feedback,
            Table::Deliveries => &self.deliveries,
            Table::Snoozes => &self.snoozes,
        }
    }

    pub(crate) fn table_mut(&mut self, t: Table) -> &mut TableCounts {
        match t {
            Table::Customers => &mut self.customers,
            Table::Orders => &mut self.orders,
            Table::Contacts => &mut self.contacts,
            Table::Complaints => &mut self.complaints,
            Table::Promises => &mut self.promises,
            Table::Feedback => &mut self.feedback,
            Table::Deliveries => &mut self.deliveries,
            Table::Snoozes => &mut self.snoozes,
        }
    }
}

/// One customer's analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomerReport {
    /// The customer's id.
    pub id: String,
    /// Its name, as given.
    pub name: Option<String>,
    /// Its account owner.
    pub owner: Option<String>,
    /// Its segment, as given.
    pub segment: Option<String>,
    /// The customer who referred it.
    pub referred_by: Option<String>,
    /// Health: components, score, band and 30-day trend.
    pub health: Health,
    /// Satisfaction.
    pub satisfaction: Satisfaction,
    /// Value.
    pub value: Value,
    /// Buying behaviour.
    pub buying: Buying,
    /// Open neglect flags, most overdue first.
    pub neglect: Vec<Flag>,
    /// Relationship stage.
    pub stage: Stage,
    /// Risk of losing the customer.
    pub risk: Risk,
    /// Ids of customers connected by referral (either way) who are in the defection zone or
    /// at high or critical risk.
    pub exposure: Vec<String>,
    /// What to do, most urgent first.
    pub actions: Vec<Action>,
    /// The worklist rank key: risk × value.
    pub priority: f64,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    /// The instant of evaluation, in the policy's timezone.
    pub as_of: String,
    /// The policy in force, defaults filled in.
    pub policy: Policy,
    /// One entry per accepted customer, ordered by id.
    pub customers: Vec<CustomerReport>,
    /// Every open action, by priority.
    pub worklist: Vec<WorkItem>,
    /// Per owner scorecards.
    pub owners: Vec<OwnerCard>,
    /// Portfolio figures.
    pub portfolio: Portfolio,
    /// The buying models used, or why none is.
    pub models: crate::models::ModelsReport,
    /// What happened to the input.
    pub input: InputReport,
    /// Which operational events move the next survey answer ([`crate::drivers`]).
    pub drivers: crate::drivers::Drivers,
}

/// Serialise a report as JSON text.
pub fn to_json(r: &Report) -> Result<String, crate::Error> {
    serde_json::to_string(r).map_err(|e| crate::Error::input("report", format!("cannot serialise the report: {e}")))
}
