//! Property tests: no input makes the core panic, counts always add up, the report is plain
//! JSON, and the order of rows does not matter.

use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        (-3i64..12).prop_map(|x| json!(x)),
        prop::sample::select(vec![
            "2026-11-20", "2026-11-19T09:30:00Z", "2026-11-16T10:00:00+01:00", "2026-10-01", "2027-01-01",
            "2026-13-45", "", "c1", "c2", "c3", "inbound", "outbound", "call", "email", "answered", "missed",
            "high", "low", "critical", "nps", "csat", "ces", "refund", "damaged", "late", "abc", "NaN", "1e400",
            "2026-11-20T25:00:00Z", "9999-12-31T23:59:59-14:00", "0000-01-01", "broken_promise",
        ])
        .prop_map(|s| json!(s)),
        ".{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => scalar(),
        1 => prop::collection::vec(scalar(), 0..3).prop_map(Value::Array),
        1 => Just(json!({"nested": 1})),
    ]
}

const FIELDS: &[&str] = &[
    "id", "customerId", "at", "amount", "kind", "direction", "channel", "status", "owner", "openedAt", "severity",
    "category", "firstResponseAt", "resolvedAt", "madeAt", "dueAt", "keptAt", "score", "promisedAt", "deliveredAt",
    "problem", "until", "reason", "kinds", "name", "createdAt", "referredBy",
];

fn row() -> impl Strategy<Value = Value> {
    prop_oneof![
        9 => prop::collection::vec((prop::sample::select(FIELDS), value()), 0..10).prop_map(|kv| {
            let mut m = Map::new();
            for (k, v) in kv {
                m.insert(k.to_string(), v);
            }
            Value::Object(m)
        }),
        1 => scalar(),
    ]
}

fn export() -> impl Strategy<Value = Value> {
    const TABLES: &[&str] = &["orders", "contacts", "complaints", "promises", "feedback", "deliveries", "snoozes"];
    (prop::collection::vec(row(), 0..6), prop::collection::vec((prop::sample::select(TABLES), prop::collection::vec(row(), 0..8)), 0..7))
        .prop_map(|(mut customers, tables)| {
            customers.push(json!({"id": "c1", "owner": "Alice"}));
            customers.push(json!({"id": "c2"}));
            let mut m = Map::new();
            m.insert("customers".into(), Value::Array(customers));
            for (t, rows) in tables {
                m.insert(t.into(), Value::Array(rows));
            }
            Value::Object(m)
        })
}

/// An id as the core reads it (numbers as their decimal text), to find rows sharing one.
fn id_key(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.as_f64().map_or_else(String::new, |x| if x.fract() == 0.0 && x.abs() < 1e15 { format!("{}", x as i64) } else { format!("{x}") }),
        other => other.to_string(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let o = tend::Options::at("2026-11-20T12:00:00Z").unwrap();
        let _ = tend::analyze_str(&s, &o);
    }

    #[test]
    fn arbitrary_rows_are_scored_or_rejected(data in export(), tz in prop::sample::select(vec!["+00:00", "+14:00", "-09:30"])) {
        let o = tend::Options::from_json(&json!({"asOf": "2026-11-20T12:00:00Z", "policy": {"timezone": tz, "holidays": ["2026-11-19"]}})).unwrap();
        let r = tend::analyze_str(&data.to_string(), &o).unwrap();
        for t in tend::input::records::Table::ALL {
            let c = r.input.table(*t);
            prop_assert_eq!(c.received, c.used + c.rejected + c.future);
        }
        // On the report itself: its JSON text would show `null` where a number was NaN.
        prop_assert_eq!(tend::finite::non_finite(&r), None);
    }

    #[test]
    fn row_order_does_not_change_the_scores(mut data in export(), seed in any::<u64>()) {
        let o = tend::Options::at("2026-11-20T12:00:00Z").unwrap();
        // Of rows sharing an id the first valid one wins (order-dependent by contract): keep the
        // first row of each id value (and every row without one), so that every case is checked.
        for (_, rows) in data.as_object_mut().unwrap().iter_mut() {
            if let Value::Array(rows) = rows {
                let mut seen = std::collections::HashSet::new();
                rows.retain(|r| r.get("id").is_none_or(|id| seen.insert(id_key(id))));
            }
        }
        let a = tend::analyze_str(&data.to_string(), &o).unwrap();
        let mut shuffled = data.clone();
        let mut rng = seed;
        for (_, rows) in shuffled.as_object_mut().unwrap().iter_mut() {
            if let Value::Array(rows) = rows {
                for i in (1..rows.len()).rev() {
                    rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
                    rows.swap(i, (rng % (i as u64 + 1)) as usize);
                }
            }
        }
        let b = tend::analyze_str(&shuffled.to_string(), &o).unwrap();
        prop_assert!(a.input.rejected.iter().all(|x| x.code != "duplicate_id"));
        prop_assert_eq!(a.customers, b.customers);
    }
}
