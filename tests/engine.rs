//! The engine against fresh analyses: every answer equals the same part of the report, and after
//! updates the report equals a fresh load of the updated records with the engine's models.

use serde_json::{json, Value};
use tend::{Engine, Options};

const SAMPLE: &str = include_str!("../www/sample/export.json");

fn load(text: &str) -> Engine {
    Engine::load_json(text.as_bytes(), &json!({}), Some("2026-11-20T17:00:00Z")).expect("load")
}

fn v<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("serialise")
}

/// The report without what a fresh load of the exported records cannot know: the rejected rows
/// and warnings (they are not records), the input counts, where the model came from, and a
/// spend model that was fitted but not used (it did not converge).
fn comparable(mut r: Value) -> Value {
    r.as_object_mut().map(|o| o.remove("input"));
    if let Some(m) = r.get_mut("models").and_then(Value::as_object_mut) {
        m.remove("source");
        m.remove("reason");
        if m.get("spend").and_then(|s| s.get("converged")) != Some(&Value::Bool(true)) {
            m.remove("spend");
        }
    }
    r
}

fn fresh(e: &Engine) -> Value {
    let mut opts: Options = e.options().clone();
    opts.models = Some(e.given_models());
    let text = e.export().to_string();
    let r = tend::analyze_str(&text, &opts).expect("fresh analysis");
    comparable(v(&r))
}

fn assert_same(a: &Value, b: &Value, what: &str) {
    if a == b {
        return;
    }
    let (ca, cb) = (a["customers"].as_array(), b["customers"].as_array());
    if let (Some(ca), Some(cb)) = (ca, cb) {
        assert_eq!(ca.len(), cb.len(), "{what}: customer count");
        for (x, y) in ca.iter().zip(cb) {
            assert_eq!(x, y, "{what}: customer {}", x["id"]);
        }
    }
    for k in ["worklist", "owners", "portfolio", "models", "asOf", "policy"] {
        assert_eq!(a[k], b[k], "{what}: {k}");
    }
    panic!("{what}: reports differ");
}

#[test]
fn answers_equal_the_report_on_the_sample() {
    let e = load(SAMPLE);
    let r = v(&e.report());
    for c in r["customers"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(&v(&e.customer(id).unwrap()), c, "customer {id}");
    }
    assert!(e.customer("no such customer").is_none());
    // The worklist paged through end to end, 7 at a time.
    let mut items = Vec::new();
    let mut offset = 0;
    loop {
        let q = tend::engine::query::Query { offset, limit: Some(7), ..Default::default() };
        let page = e.worklist(&q).unwrap();
        assert_eq!(page.total, r["worklist"].as_array().unwrap().len());
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len();
        items.extend(page.items.iter().map(v));
    }
    assert_eq!(Value::Array(items), r["worklist"]);
    let s = v(&e.summary());
    assert_eq!(s["portfolio"], r["portfolio"]);
    assert_eq!(s["owners"], r["owners"]);
    assert_eq!(s["input"]["orders"], r["input"]["orders"]);
    assert_eq!(s["input"]["rejected"], json!(r["input"]["rejected"].as_array().unwrap().len()));
}

#[test]
fn a_fresh_load_of_the_export_gives_the_same_report() {
    let e = load(SAMPLE);
    assert_same(&comparable(v(&e.report())), &fresh(&e), "no update");
}

#[test]
fn updates_keep_the_report_exact() {
    let mut e = load(SAMPLE);
    let steps = [
        json!({"upsert": {"contacts": [{"id": "NEW-1", "customerId": "C0135", "at": "2026-11-20T09:00:00Z", "direction": "outbound", "channel": "call"}]}}),
        json!({"remove": {"orders": ["ORD-00001", "ORD-00002"]}}),
        json!({"upsert": {"orders": [{"id": "ORD-9", "customerId": "C0190", "at": "2026-11-19", "amount": 250000}]}}),
        json!({"upsert": {"customers": [{"id": "C0999", "name": "Newco", "owner": "Alice Martin", "referredBy": "C0170"}],
                          "feedback": [{"id": "F-9", "customerId": "C0999", "at": "2026-11-18", "kind": "nps", "score": 2}]}}),
        json!({"remove": {"customers": ["C0170"]}}),
        json!({"upsert": {"customers": [{"id": "C0042", "name": "Renamed", "createdAt": "2020-01-01"}]}}),
        json!({"upsert": {"promises": [{"id": "P-X", "customerId": "C0002", "madeAt": "2026-11-01", "dueAt": "2026-11-05"}]},
               "remove": {"snoozes": ["nope"]}}),
    ];
    for (k, u) in steps.iter().enumerate() {
        let res = e.update_json(u.to_string().as_bytes()).expect("update");
        assert!(!res.changed.is_empty() || !res.rejected.is_empty(), "step {k} changed nothing");
        assert_same(&comparable(v(&e.report())), &fresh(&e), &format!("after step {k}"));
    }
}

#[test]
fn an_update_lists_its_first_1000_rejections_and_counts_the_rest() {
    let mut e = Engine::load_json(br#"{"customers":[{"id":"c1"}]}"#, &json!({"asOf": "2026-11-20T00:00:00Z"}), None).expect("load");
    let rows: Vec<Value> = (0..1500).map(|i| json!({"id": format!("o{i}"), "customerId": "c1", "at": "2026-11-01", "amount": "x"})).collect();
    let u = e.update_json(json!({"upsert": {"orders": rows}}).to_string().as_bytes()).expect("update");
    assert_eq!((u.rejected.len(), u.rejected_omitted), (1000, 500));
    assert!(u.rejected.iter().all(|r| r.update == Some(1) && r.code == "invalid_number"));
    // A second update lists its own, though the engine's list is full.
    let u = e.update_json(json!({"upsert": {"orders": [{"id": "y", "customerId": "zz", "at": "2026-11-01", "amount": 1}]}}).to_string().as_bytes()).expect("update");
    assert_eq!((u.rejected.len(), u.rejected_omitted, u.rejected[0].update), (1, 0, Some(2)));
    let page = e.rejected(0, 10_000);
    assert_eq!((page.total, page.omitted), (1000, 501));
    let s = v(&e.summary());
    assert_eq!(s["input"]["rejected"], json!(1501));
    assert_eq!(s["input"]["rejectedByCode"], json!({"orders": {"invalid_number": 1500, "unknown_customer": 1}}));
}

#[test]
fn a_table_recorded_by_an_update_applies_its_rules_to_every_customer() {
    let export = json!({"customers": [{"id": "c1", "createdAt": "2025-01-01"}, {"id": "c2", "createdAt": "2025-01-01"}],
                        "orders": [{"id": "o1", "customerId": "c1", "at": "2025-02-01", "amount": 5}]});
    let mut e = Engine::load_json(export.to_string().as_bytes(), &json!({"asOf": "2026-11-20T00:00:00Z"}), None).expect("load");
    let no_outreach = |e: &Engine, id: &str| v(&e.customer(id)).pointer("/neglect").and_then(Value::as_array).is_some_and(|f| f.iter().any(|f| f["kind"] == "no_outreach"));
    assert!(!no_outreach(&e, "c2"), "no contacts table: not evaluated");
    assert_eq!(v(&e.summary())["input"]["notEvaluated"].as_array().map(Vec::len), Some(4));
    // A rejected contact records nothing.
    e.update_json(br#"{"upsert":{"contacts":[{"id":"k0","customerId":"zz","at":"2026-11-01","direction":"outbound","channel":"call"}]}}"#).expect("update");
    assert!(!no_outreach(&e, "c2"));
    let u = e.update_json(br#"{"upsert":{"contacts":[{"id":"k1","customerId":"c1","at":"2026-11-01","direction":"outbound","channel":"call"}]}}"#).expect("update");
    assert_eq!(u.changed, ["c1", "c2"]);
    assert!(no_outreach(&e, "c2"), "contacts recorded now: c2 was never contacted");
    assert_eq!(v(&e.summary())["input"]["notEvaluated"].as_array().map(Vec::len), Some(3));
    assert_same(&comparable(v(&e.report())), &fresh(&e), "after the first contact");
}

#[test]
fn lapse_within_filters_the_customers_list_and_the_worklist_on_both_sides() {
    use tend::engine::query::Query;
    let e = load(SAMPLE);
    let q = |v: Value| Query::from_json(&v, "query").expect("query");
    let all = e.customers(&q(json!({"limit": 10000}))).expect("page");
    let day = 86_400_000i64;
    for days in [30usize, 120, 400] {
        let got = e.customers(&q(json!({"lapseWithin": days, "limit": 10000}))).expect("page");
        let want: Vec<&str> = all
            .items
            .iter()
            .filter(|r| r.lapse_at.as_ref().is_some_and(|s| s.t - e.as_of() <= days as i64 * day))
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(got.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), want, "within {days} days");
        // Each row's date is the customer's report's.
        for r in &got.items {
            let c = v(&e.customer(&r.id).expect("customer"));
            assert_eq!(c["buying"]["lapseAt"], v(&r.lapse_at), "{}", r.id);
        }
        let work = e.worklist(&q(json!({"lapseWithin": days, "limit": 10000}))).expect("page");
        assert!(work.items.iter().all(|w| want.contains(&w.customer_id.as_str())), "worklist within {days} days");
    }
    let soon = e.customers(&q(json!({"lapseWithin": 120}))).expect("page").total;
    let later = e.customers(&q(json!({"lapseWithin": 400}))).expect("page").total;
    assert!(0 < soon && soon < later && later < all.total, "{soon} within 120 days, {later} within 400, of {}", all.total);
    assert!(Query::from_json(&json!({"lapseWithin": -1}), "query").is_err());
}
