//! Fuzz the options and the policy: the bytes as JSON options `{ asOf, policy, models }` and as
//! a policy, each applied to a small export with every table. Nothing may panic; a report has no
//! non-finite number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::json;

const SMALL: &str = r#"{"customers":[{"id":"c1","owner":"A","createdAt":"2025-01-02"},{"id":2,"referredBy":"c1"}],
"orders":[{"id":"o1","customerId":"c1","at":"2026-10-01","amount":120},{"id":"o2","customerId":2,"at":"2026-06-01","amount":5}],
"contacts":[{"id":"k1","customerId":"c1","at":"2026-11-19T09:30:00Z","direction":"inbound","channel":"call","status":"missed"}],
"complaints":[{"id":"q1","customerId":2,"openedAt":"2026-11-02","severity":"high"}],
"promises":[{"id":"p1","customerId":2,"madeAt":"2026-11-02","dueAt":"2026-11-10"}],
"feedback":[{"id":"f1","customerId":2,"at":"2026-11-02","kind":"nps","score":4}],
"deliveries":[{"id":"d1","customerId":"c1","promisedAt":"2026-11-12","deliveredAt":"2026-11-16","problem":"damaged"}],
"snoozes":[{"customerId":"c1","until":"2026-12-24","reason":"r","kinds":["no_outreach"]}]}"#;

fuzz_target!(|bytes: &[u8]| {
    // The core's own bounded reader first (as the wasm boundary reads options).
    let Ok(v) = tend::input::json::parse_value(bytes, "options") else { return };
    for candidate in [json!({ "asOf": "2026-11-20T12:00:00Z", "policy": v.clone() }), v.clone()] {
        if let Ok(e) = tend::Engine::load_json(SMALL.as_bytes(), &candidate, Some("2026-11-20T12:00:00Z")) {
            assert_eq!(tend::finite::non_finite(&e.report()), None);
            let _ = e.summary();
        }
    }
    let _ = tend::policy::Policy::from_json(&v, "options.policy");
});
