//! Property tests over valid exports: every score in range, the trend equals two
//! point-in-time runs, and resolving a complaint, keeping a promise or returning a call never
//! lowers health.

use proptest::prelude::*;
use serde_json::{json, Value};

const AS_OF: &str = "2026-11-20T12:00:00Z";
const DAY: i64 = 86_400_000;

fn at(day: i64) -> String {
    // Days before asOf, with an hour offset so that times vary.
    let base = tend::time::parse_instant(AS_OF, 0).unwrap();
    tend::time::format_instant(base - day * DAY + (day % 7) * 3_600_000, 0)
}

fn customer_ids() -> Vec<String> {
    (0..4).map(|i| format!("c{i}")).collect()
}

fn export() -> impl Strategy<Value = Value> {
    let c = || prop::sample::select(customer_ids());
    let orders = prop::collection::vec((c(), 0i64..700, 1u32..5000), 0..25);
    let contacts = prop::collection::vec((c(), 0i64..200, any::<bool>(), 0usize..3), 0..20);
    let complaints = prop::collection::vec((c(), 0i64..120, 0usize..4, prop::option::of(0i64..20), prop::option::of(0i64..40)), 0..5);
    let promises = prop::collection::vec((c(), 0i64..120, 0i64..30, prop::option::of(0i64..40)), 0..5);
    let feedback = prop::collection::vec((c(), 0i64..500, 0u8..11), 0..10);
    let referrals = prop::collection::vec(prop::option::of(0usize..4), 4);
    (orders, contacts, complaints, promises, feedback, referrals).prop_map(|(o, k, x, p, f, refs)| {
        let sev = ["low", "medium", "high", "critical"];
        let st = ["answered", "missed", "voicemail"];
        json!({
            "customers": refs.iter().enumerate().map(|(i, r)| {
                let mut v = json!({"id": format!("c{i}"), "owner": if i % 2 == 0 { "Alice" } else { "Bruno" }});
                if let Some(r) = r.filter(|r| *r != i) { v["referredBy"] = json!(format!("c{r}")); }
                v
            }).collect::<Vec<_>>(),
            "orders": o.iter().enumerate().map(|(i, (c, d, a))| json!({"id": format!("o{i}"), "customerId": c, "at": at(*d), "amount": a})).collect::<Vec<_>>(),
            "contacts": k.iter().enumerate().map(|(i, (c, d, inbound, s))| json!({"id": format!("k{i}"), "customerId": c, "at": at(*d),
                "direction": if *inbound { "inbound" } else { "outbound" }, "channel": "call", "status": st[*s]})).collect::<Vec<_>>(),
            "complaints": x.iter().enumerate().map(|(i, (c, d, s, fr, res))| {
                let mut v = json!({"id": format!("x{i}"), "customerId": c, "openedAt": at(*d), "severity": sev[*s]});
                if let Some(fr) = fr { v["firstResponseAt"] = json!(at(d - fr.min(d))); }
                if let Some(r) = res { v["resolvedAt"] = json!(at(d - r.min(d))); }
                v
            }).collect::<Vec<_>>(),
            "promises": p.iter().enumerate().map(|(i, (c, d, due, kept))| {
                let mut v = json!({"id": format!("p{i}"), "customerId": c, "madeAt": at(*d), "dueAt": at(d - due.min(d))});
                if let Some(k) = kept { v["keptAt"] = json!(at(d - k.min(d))); }
                v
            }).collect::<Vec<_>>(),
            "feedback": f.iter().enumerate().map(|(i, (c, d, s))| json!({"id": format!("f{i}"), "customerId": c, "at": at(*d), "kind": "nps", "score": s})).collect::<Vec<_>>()
        })
    })
}

fn run(data: &Value, as_of: &str) -> tend::Report {
    tend::analyze_str(&data.to_string(), &tend::Options::at(as_of).unwrap()).unwrap()
}

fn health(r: &tend::Report) -> Vec<(String, f64)> {
    r.customers.iter().map(|c| (c.id.clone(), c.health.score)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn scores_in_range(data in export()) {
        let r = run(&data, AS_OF);
        prop_assert!(r.input.rejected.is_empty(), "{:?}", r.input.rejected);
        for c in &r.customers {
            let h = &c.health;
            prop_assert!((0.0..=100.0).contains(&h.score));
            for comp in [&h.components.satisfaction, &h.components.buying, &h.components.attention, &h.components.service] {
                prop_assert!((0.0..=100.0).contains(&comp.score));
            }
            prop_assert!((0.0..=1.0).contains(&c.risk.score));
            if let Some(i) = c.satisfaction.index { prop_assert!((0.0..=100.0).contains(&i)); }
            prop_assert!(c.priority >= 0.0);
            for a in &c.actions { prop_assert!(a.uplift >= 0.0, "{:?}", a); }
            for f in &c.neglect { prop_assert!(f.overdue >= 0.0); }
            if let Some(rfm) = &c.value.rfm { prop_assert!((1..=5).contains(&rfm.r) && (1..=5).contains(&rfm.f) && (1..=5).contains(&rfm.m)); }
        }
    }

    #[test]
    fn trend_equals_two_point_in_time_runs(data in export()) {
        let now = run(&data, AS_OF);
        let then = run(&data, "2026-10-21T12:00:00Z");
        for (c, t) in now.customers.iter().zip(&then.customers) {
            if let Some(trend) = c.health.trend {
                prop_assert!((trend - (c.health.score - t.health.score)).abs() < 0.011, "{}: {} vs {} − {}", c.id, trend, c.health.score, t.health.score);
            }
        }
    }

    #[test]
    fn closing_a_gap_never_lowers_health(data in export(), which in 0usize..3, pick in any::<prop::sample::Index>()) {
        let before = run(&data, AS_OF);
        let mut after = data.clone();
        let closing = at(0).replace("12:00:00", "11:59:00");
        match which {
            0 => if let Some(rows) = after["complaints"].as_array_mut().filter(|r| !r.is_empty()) {
                let i = pick.index(rows.len());
                rows[i]["resolvedAt"] = json!(closing);
                if rows[i].get("firstResponseAt").is_none() { rows[i]["firstResponseAt"] = json!(closing); }
            },
            1 => if let Some(rows) = after["promises"].as_array_mut().filter(|r| !r.is_empty()) {
                let i = pick.index(rows.len());
                rows[i]["keptAt"] = json!(closing);
            },
            _ => {
                let c = customer_ids()[pick.index(4)].clone();
                after["contacts"].as_array_mut().unwrap().push(json!({"id": "return", "customerId": c, "at": closing, "direction": "outbound", "channel": "call"}));
            }
        }
        let after = run(&after, AS_OF);
        for ((id, a), (_, b)) in health(&before).iter().zip(health(&after)) {
            prop_assert!(b + 1e-9 >= *a, "{id}: {a} → {b}");
        }
    }
}
