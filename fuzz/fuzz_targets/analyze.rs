//! Fuzz the input path: arbitrary bytes as the export's JSON text, and the same bytes as a
//! policy / options object. Nothing may panic; every report must serialise.
//!
//! `make fuzz` (cargo +nightly fuzz run analyze -- -max_total_time=60)
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tend::{analyze_str, Options};

const AS_OF: &str = "2026-11-20T12:00:00Z";

/// A small export with one row of every table, analysed under fuzzed policies.
const SMALL: &str = r#"{
  "customers": [{"id": "c1", "name": "Acme", "owner": "Alice", "createdAt": "2025-01-02"},
                {"id": 2, "referredBy": "c1"}],
  "orders": [{"id": "o1", "customerId": "c1", "at": "2026-10-01", "amount": 120},
             {"id": "o2", "customerId": "c1", "at": "2026-10-05", "amount": -20, "kind": "refund"}],
  "contacts": [{"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z", "direction": "inbound", "channel": "call", "status": "missed"},
               {"id": "k2", "customerId": 2, "at": "2026-11-02T09:30:00+01:00", "direction": "outbound", "channel": "email"}],
  "complaints": [{"id": "q1", "customerId": 2, "openedAt": "2026-11-02", "severity": "high", "category": "billing"}],
  "promises": [{"id": "p1", "customerId": 2, "madeAt": "2026-11-02", "dueAt": "2026-11-10", "owner": "Bob"}],
  "feedback": [{"id": "f1", "customerId": 2, "at": "2026-11-02", "kind": "nps", "score": 4}],
  "deliveries": [{"id": "d1", "customerId": "c1", "promisedAt": "2026-11-12", "deliveredAt": "2026-11-16", "problem": "damaged"}],
  "snoozes": [{"customerId": "c1", "until": "2026-12-24", "reason": "holiday", "kinds": ["no_outreach"]}]
}"#;

fn fixed() -> &'static Options {
    static O: OnceLock<Options> = OnceLock::new();
    O.get_or_init(|| Options::at(AS_OF).expect("fixed options"))
}

fn check(data: &str, opts: &Options) {
    if let Ok(report) = analyze_str(data, opts) {
        // On the value: serde_json would write a NaN as `null`, hiding it from the text.
        assert_eq!(tend::finite::non_finite(&report), None, "a non-finite number in a report");
        tend::report::to_json(&report).expect("every report serialises");
    }
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else { return };
    // 1. The bytes as an export.
    check(text, fixed());
    // 2. The bytes as options, and as a policy.
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        for candidate in [json!({ "asOf": AS_OF, "policy": v.clone() }), v] {
            if let Ok(opts) = Options::from_json(&candidate) {
                check(SMALL, &opts);
            }
        }
    }
});
