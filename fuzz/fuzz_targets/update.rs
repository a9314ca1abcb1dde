//! Fuzz engine updates: a small export loaded, then the bytes split at 0xFF into a sequence of
//! update texts applied in turn. Nothing may panic; counts add up after each; the report has no
//! non-finite number; it equals a fresh load of the records the engine then holds.
#![no_main]

use libfuzzer_sys::fuzz_target;

const SMALL: &str = r#"{"customers":[{"id":"c1","owner":"A","createdAt":"2025-01-02"},{"id":"c2","referredBy":"c1"}],
"orders":[{"id":"o1","customerId":"c1","at":"2026-10-01","amount":120}],
"contacts":[{"id":"k1","customerId":"c1","at":"2026-11-19T09:30:00Z","direction":"inbound","channel":"call","status":"missed"}],
"complaints":[],"promises":[],"feedback":[],"deliveries":[],"snoozes":[]}"#;

fuzz_target!(|bytes: &[u8]| {
    let opts = serde_json::json!({"asOf": "2026-11-20T12:00:00Z"});
    let Ok(mut e) = tend::Engine::load_json(SMALL.as_bytes(), &opts, None) else { panic!("the fixed export loads") };
    for part in bytes.split(|b| *b == 0xff).take(8) {
        let _ = e.update_json(part);
        let s = e.summary();
        for c in [s.input.customers, s.input.orders, s.input.contacts, s.input.complaints, s.input.promises, s.input.feedback, s.input.deliveries, s.input.snoozes] {
            assert_eq!(c.received, c.used + c.rejected + c.future);
        }
    }
    let r = e.report();
    assert_eq!(tend::finite::non_finite(&r), None);
    let mut o = e.options().clone();
    o.models = Some(e.given_models());
    let fresh = tend::analyze_str(&e.export().to_string(), &o).expect("the engine's records load afresh");
    assert_eq!(serde_json::to_value(&r.customers).ok(), serde_json::to_value(&fresh.customers).ok(), "the engine equals a fresh load");
});
