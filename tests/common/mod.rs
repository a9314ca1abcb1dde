#![allow(dead_code)]
//! Helpers shared by the integration tests.

pub mod planted;
pub mod random_export;

use serde_json::{json, Value};
use tend::report::Report;
use tend::score::neglect::Flag;
use tend::Options;

pub fn options(as_of: &str, policy: Value) -> Options {
    Options::from_json(&json!({ "asOf": as_of, "policy": policy })).expect("valid options")
}

pub fn run(data: Value, as_of: &str) -> Report {
    run_with(data, as_of, json!({}))
}

pub fn run_with(data: Value, as_of: &str, policy: Value) -> Report {
    tend::analyze_str(&data.to_string(), &options(as_of, policy)).expect("analysable")
}

/// The flags of one customer.
pub fn flags<'a>(r: &'a Report, customer: &str) -> Vec<&'a Flag> {
    r.customers.iter().find(|c| c.id == customer).map(|c| c.neglect.iter().collect()).unwrap_or_default()
}

/// The flags of one kind of one customer.
pub fn flags_of<'a>(r: &'a Report, customer: &str, kind: &str) -> Vec<&'a Flag> {
    flags(r, customer).into_iter().filter(|f| f.kind.as_str() == kind).collect()
}

/// A customer `c1` owned by Alice, contacted on `contacted` (so it raises no outreach flag
/// unless a test wants one) and with recent feedback.
pub fn base(contacted: &str) -> Value {
    json!({
        "customers": [{"id": "c1", "name": "Acme", "owner": "Alice", "createdAt": "2026-01-05"}],
        "contacts": [{"id": "base-out", "customerId": "c1", "at": contacted, "direction": "outbound", "channel": "email"}],
        "feedback": [{"id": "base-fb", "customerId": "c1", "at": "2026-10-01T10:00:00Z", "kind": "nps", "score": 9}]
    })
}

/// Append rows to a table of an export.
pub fn with(mut data: Value, table: &str, rows: Value) -> Value {
    let t = data.as_object_mut().unwrap().entry(table).or_insert_with(|| json!([]));
    for r in rows.as_array().unwrap() {
        t.as_array_mut().unwrap().push(r.clone());
    }
    data
}
