//! State changes: customers who entered the red band, high risk or dissolution in the last 7
//! and 30 days, and how long those in the red band have been there — planted trouble on known
//! days, checked against fresh analyses at the window's start and against the history.

use serde_json::{json, Value};
use tend::engine::changes::ChangesQuery;
use tend::time::DAY_MS;
use tend::Engine;

const AS_OF: &str = "2026-11-20T17:00:00Z";

fn day(t: i64) -> String {
    tend::time::format_instant(t, 0)
}

/// A customer who is fine until `trouble` days before `asOf` (never when `None`), then gets an
/// NPS 0, two critical complaints nobody answers and five broken promises.
fn customer(id: &str, trouble: Option<i64>, as_of: i64, out: &mut Value) {
    let push = |out: &mut Value, table: &str, row: Value| out[table].as_array_mut().unwrap().push(row);
    push(out, "customers", json!({"id": id, "name": id.to_uppercase(), "owner": "Alice", "createdAt": "2025-11-03"}));
    for k in 0..26 {
        let t = as_of - (k * 14 + 2) * DAY_MS;
        push(out, "orders", json!({"id": format!("{id}-o{k}"), "customerId": id, "at": day(t), "amount": 100 + k}));
        push(out, "contacts", json!({"id": format!("{id}-k{k}"), "customerId": id, "at": day(t), "direction": "outbound", "channel": "email"}));
    }
    push(out, "feedback", json!({"id": format!("{id}-f0"), "customerId": id, "at": "2025-12-01T10:00:00Z", "kind": "nps", "score": 9}));
    if let Some(d) = trouble {
        let t = as_of - d * DAY_MS;
        push(out, "feedback", json!({"id": format!("{id}-f1"), "customerId": id, "at": day(t), "kind": "nps", "score": 0}));
        for k in 0..2 {
            push(out, "complaints", json!({"id": format!("{id}-x{k}"), "customerId": id, "openedAt": day(t), "severity": "critical", "category": "billing"}));
        }
        for k in 0..5 {
            push(out, "promises", json!({"id": format!("{id}-p{k}"), "customerId": id, "madeAt": day(t - 2 * DAY_MS), "dueAt": day(t)}));
        }
    }
}

fn export(people: &[(&str, Option<i64>)]) -> String {
    let as_of = tend::time::parse_instant(AS_OF, 0).unwrap();
    let mut out = json!({"customers": [], "orders": [], "contacts": [], "feedback": [], "complaints": [], "promises": []});
    for (id, d) in people {
        customer(id, *d, as_of, &mut out);
    }
    out.to_string()
}

fn load(text: &str) -> Engine {
    Engine::load_json(text.as_bytes(), &json!({}), Some(AS_OF)).expect("load")
}

fn q(v: Value) -> ChangesQuery {
    ChangesQuery::from_json(&v).expect("query")
}

fn v<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("serialise")
}

fn row<'a>(page: &'a Value, id: &str) -> Option<&'a Value> {
    page["items"].as_array().unwrap().iter().find(|r| r["id"] == id)
}

#[test]
fn planted_trouble_enters_the_window_it_happened_in() {
    let e = load(&export(&[("fresh", Some(3)), ("recent", Some(12)), ("old", Some(100)), ("fine", None)]));
    let week = v(&e.changes(&q(json!({"days": 7}))));
    let month = v(&e.changes(&q(json!({"days": 30}))));
    // 3 days ago: entered red in both windows; 12 days ago: only in the 30 days.
    let fresh = row(&week, "fresh").expect("fresh entered red this week");
    assert!(fresh["entered"].as_array().unwrap().contains(&json!("red")), "{fresh}");
    assert_eq!(fresh["band"], "red");
    assert!(row(&week, "recent").is_none(), "{week}");
    assert!(row(&month, "recent").unwrap()["entered"].as_array().unwrap().contains(&json!("red")));
    assert!(row(&month, "fresh").is_some());
    // Long in trouble: not a change, but listed with `all`, with its days in the red band.
    assert!(row(&month, "old").is_none());
    assert!(row(&week, "fine").is_none() && row(&month, "fine").is_none());
    let all = v(&e.changes(&q(json!({"days": 7, "all": true}))));
    let old = row(&all, "old").expect("old is still red");
    assert_eq!(old["entered"], json!([]));
    assert!(old["red"]["days"].as_u64().unwrap() >= 91, "{old}");
    assert_eq!(row(&all, "fresh").unwrap()["red"]["days"], 0);
    assert_eq!(row(&all, "recent").unwrap()["red"]["days"], 7);
    assert!(row(&all, "fine").is_none());
    // The summary counts what the lists hold.
    let s = v(&e.summary());
    assert_eq!(s["changes"]["days7"], week["entered"]);
    assert_eq!(s["changes"]["days30"], month["entered"]);
    assert_eq!(week["entered"]["red"], 1);
    assert_eq!(month["entered"]["red"], 2);
    assert_eq!(week["total"], week["items"].as_array().unwrap().len());
}

#[test]
fn entering_is_the_state_now_against_a_fresh_analysis_at_the_window_start() {
    let people: Vec<(String, Option<i64>)> = (0..24).map(|k| (format!("c{k:02}"), if k % 4 == 3 { None } else { Some(k * 3 + 1) })).collect();
    let refs: Vec<(&str, Option<i64>)> = people.iter().map(|(a, b)| (a.as_str(), *b)).collect();
    let text = export(&refs);
    let e = load(&text);
    let mut opts = e.options().clone();
    opts.models = Some(e.given_models());
    for days in [7, 30] {
        let mut o = opts.clone();
        o.as_of = e.as_of() - days * DAY_MS;
        let then = Engine::build(std::rc::Rc::new(tend::engine::read_json_with(text.as_bytes(), &o).unwrap().0), o);
        let page = v(&e.changes(&q(json!({"days": days, "all": true, "limit": 1000}))));
        let mut entered_red = 0;
        for (id, _) in &people {
            let now = v(&e.customer(id).unwrap());
            let before = then.customer(id).map(|r| v(&r));
            let was_red = before.as_ref().is_some_and(|b| b["health"]["band"] == "red");
            let listed = row(&page, id);
            if now["health"]["band"] == "red" {
                let r = listed.expect("a red customer is listed with all");
                assert_eq!(r["entered"].as_array().unwrap().contains(&json!("red")), !was_red, "{id} over {days} days: {r}");
                entered_red += usize::from(!was_red);
            } else if let Some(r) = listed {
                assert!(!r["entered"].as_array().unwrap().contains(&json!("red")), "{id}");
            }
        }
        assert_eq!(page["entered"]["red"], entered_red);
        assert!(entered_red > 0, "the planted trouble enters red over {days} days");
    }
}

#[test]
fn the_days_in_red_are_the_run_of_the_history() {
    let e = load(&export(&[("a", Some(2)), ("b", Some(20)), ("c", Some(45)), ("d", Some(200))]));
    let all = v(&e.changes(&q(json!({"days": 30, "all": true}))));
    for id in ["a", "b", "c", "d"] {
        let r = row(&all, id).expect("red");
        let h = v(&e.history(id, 26).unwrap().unwrap());
        let pts = h["points"].as_array().unwrap();
        let run = pts.iter().rev().take_while(|p| p["health"]["band"] == "red").count();
        assert!(run >= 1);
        assert_eq!(r["red"]["days"], (run as u64 - 1) * 7, "{id}: {r}");
        assert_eq!(r["red"]["atLeast"], run == 27, "{id}");
    }
}

#[test]
fn an_update_that_brings_trouble_is_a_change_at_once() {
    let mut e = load(&export(&[("calm", None), ("other", Some(100))]));
    assert_eq!(v(&e.summary())["changes"]["days7"]["red"], 0);
    let as_of = e.as_of();
    let mut rows = json!({"customers": [], "orders": [], "contacts": [], "feedback": [], "complaints": [], "promises": []});
    customer("calm", Some(3), as_of, &mut rows);
    let upsert = json!({"upsert": {"feedback": rows["feedback"], "complaints": rows["complaints"], "promises": rows["promises"]}});
    e.update_json(upsert.to_string().as_bytes()).unwrap();
    assert_eq!(v(&e.summary())["changes"]["days7"]["red"], 1);
    // As a fresh load of the same records says.
    let fresh = load(&export(&[("calm", Some(3)), ("other", Some(100))]));
    assert_eq!(v(&e.summary())["changes"], v(&fresh.summary())["changes"]);
    let page = v(&e.changes(&q(json!({}))));
    assert_eq!(page["days"], 7);
    assert!(row(&page, "calm").is_some());
}

#[test]
fn queries_are_checked() {
    for (bad, field) in [(json!({"days": 14}), "days"), (json!({"limit": 0}), "limit"), (json!({"limit": 1001}), "limit"), (json!({"all": 1}), "all"), (json!({"sort": "x"}), "sort"), (json!(3), "changes")] {
        let err = ChangesQuery::from_json(&bad).unwrap_err().to_string();
        assert!(err.contains(field), "{bad}: {err}");
    }
    assert_eq!(q(json!(null)).days, 7);
}

/// An update that moves the tiers of a past instant and of nobody now: a backdated order of
/// `x` (368 days ago: in the revenue window of 7 days ago, not of today's, and `y` has no revenue
/// 30 days ago) makes `y` tier C 7 days ago instead of A, so `y` had no outreach flag then.
/// `y` is not scored again by the update; its state 7 days before must be recomputed all the
/// same — a fresh load says so.
#[test]
fn an_update_that_moves_past_tiers_recomputes_the_states_of_customers_it_did_not_score() {
    let as_of = tend::time::parse_instant(AS_OF, 0).unwrap();
    let at = |days: i64| day(as_of - days * DAY_MS);
    let mut flipped = 0;
    for promises in 0..5 {
        for score in [0, 2, 4, 6] {
            let data = json!({
                "customers": [{"id": "x", "createdAt": at(800)}, {"id": "y", "createdAt": at(400)}],
                "orders": [{"id": "y1", "customerId": "y", "at": at(20), "amount": 100}],
                "contacts": [{"id": "k1", "customerId": "y", "at": at(57), "direction": "outbound", "channel": "email"}],
                "feedback": [{"id": "f1", "customerId": "y", "at": at(10), "kind": "nps", "score": score}],
                "promises": (0..promises).map(|k| json!({"id": format!("p{k}"), "customerId": "y", "madeAt": at(15), "dueAt": at(12)})).collect::<Vec<_>>()
            });
            let order = json!({"id": "x1", "customerId": "x", "at": at(368), "amount": 10000});
            let mut e = load(&data.to_string());
            let before = v(&e.changes(&q(json!({"days": 7, "all": true}))));
            let r = e.update_json(json!({"upsert": {"orders": [order.clone()]}}).to_string().as_bytes()).unwrap();
            let mut with = data.clone();
            with["orders"].as_array_mut().unwrap().push(order);
            let fresh = load(&with.to_string());
            let q7 = q(json!({"days": 7, "all": true}));
            assert_eq!(v(&e.changes(&q7)), v(&fresh.changes(&q7)), "{promises} promises, NPS {score}");
            assert_eq!(e.change_counts(), fresh.change_counts());
            let entered = |p: &Value| row(p, "y").map(|r| r["entered"].clone());
            if entered(&before) != entered(&v(&fresh.changes(&q7))) {
                assert!(!r.changed.contains(&"y".to_owned()), "y is not scored again by the update");
                flipped += 1;
            }
        }
    }
    assert!(flipped > 0, "some variant's state 7 days before depends on the moved tier");
}
