//! A customer's history: each weekly point is what a fresh analysis at that instant says, each
//! change adds up from its components and its causes, and a planted event is the cause.

use serde_json::{json, Value};
use tend::time::DAY_MS;
use tend::{Engine, Options};

const SAMPLE: &str = include_str!("../www/sample/export.json");

fn load(text: &str, as_of: &str) -> Engine {
    Engine::load_json(text.as_bytes(), &json!({}), Some(as_of)).expect("load")
}

fn v<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).expect("serialise")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Every change: the components add up to the delta, the causes of a component to its
/// contribution, and the delta is the difference of the points.
fn check_sums(h: &Value) {
    let points = h["points"].as_array().unwrap();
    let changes = h["changes"].as_array().unwrap();
    assert_eq!(changes.len() + 1, points.len().max(1));
    for (k, ch) in changes.iter().enumerate() {
        let d = ch["delta"].as_f64().unwrap();
        let (a, b) = (points[k]["health"]["score"].as_f64().unwrap(), points[k + 1]["health"]["score"].as_f64().unwrap());
        assert!(close(d, ((b - a) * 100.0).round() / 100.0), "delta {d} from {a} to {b}");
        assert_eq!(ch["from"], points[k]["at"]);
        assert_eq!(ch["to"], points[k + 1]["at"]);
        let comps = ch["components"].as_object().unwrap();
        let sum: f64 = comps.values().map(|x| x.as_f64().unwrap()).sum();
        assert!((sum - d).abs() < 1e-6, "components {comps:?} add to {sum}, delta {d}");
        for (name, c) in comps {
            let causes: f64 = ch["causes"].as_array().unwrap().iter().filter(|x| x["component"] == name.as_str()).map(|x| x["delta"].as_f64().unwrap()).sum();
            assert!((causes - c.as_f64().unwrap()).abs() < 1e-6, "{name}: causes add to {causes}, contribution {c}: {ch}");
        }
        for cause in ch["causes"].as_array().unwrap() {
            let m = cause["message"].as_str().unwrap();
            assert!(m.contains(cause["component"].as_str().unwrap()), "{m}");
            assert_ne!(cause["delta"].as_f64().unwrap(), 0.0);
        }
    }
}

#[test]
fn every_point_is_a_fresh_analysis_at_its_instant() {
    let as_of = "2026-11-20T17:00:00Z";
    let e = load(SAMPLE, as_of);
    let mut opts: Options = e.options().clone();
    opts.models = Some(e.given_models());
    let text = e.export().to_string();
    let ids: Vec<String> = e.customers(&tend::engine::query::Query::default()).unwrap().items.iter().map(|r| r.id.clone()).take(40).collect();
    let weeks = 8;
    let mut pasts = Vec::new();
    for k in 0..=weeks {
        let mut o = opts.clone();
        o.as_of = e.as_of() - k * 7 * DAY_MS;
        pasts.push(Engine::build(std::rc::Rc::new(tend::engine::read_json_with(text.as_bytes(), &o).unwrap().0), o));
    }
    let mut compared = 0;
    for id in &ids {
        let h = v(&e.history(id, weeks as u32).unwrap().expect("known id"));
        check_sums(&h);
        let points = h["points"].as_array().unwrap();
        for p in points {
            let at = p["at"].as_str().unwrap();
            let k = pasts.iter().position(|x| v(&tend::time::Stamp::new(x.as_of(), 0)).as_str() == Some(at)).expect("a weekly instant");
            let Some(r) = pasts[k].customer(id) else { panic!("{id} unknown at {at} but has a point") };
            let r = v(&r);
            assert_eq!(p["health"]["score"], r["health"]["score"], "{id} at {at}");
            assert_eq!(p["health"]["band"], r["health"]["band"], "{id} at {at}");
            assert_eq!(p["stage"], r["stage"], "{id} at {at}");
            for c in ["satisfaction", "buying", "attention", "service"] {
                assert_eq!(p["health"]["components"][c], r["health"]["components"][c]["score"], "{id} {c} at {at}");
            }
            if r["exposure"].as_array().is_some_and(|x| x.is_empty()) {
                assert_eq!(p["risk"]["level"], r["risk"]["level"], "{id} at {at}");
                assert_eq!(p["risk"]["score"], r["risk"]["score"], "{id} at {at}");
            }
            compared += 1;
        }
        // The last point is today's analysis; its trend's attribution is the report's.
        let now = v(&e.customer(id).unwrap());
        assert_eq!(points.last().unwrap()["health"]["score"], now["health"]["score"]);
        if let Some(t) = now["health"]["trend"].as_f64() {
            let comps = now["health"]["trendComponents"].as_object().unwrap();
            let sum: f64 = comps.values().map(|x| x.as_f64().unwrap()).sum();
            assert!((sum - t).abs() < 1e-6, "{id}: trend {t}, components {comps:?}");
            let causes: f64 = now["health"]["trendCauses"].as_array().unwrap().iter().map(|x| x["delta"].as_f64().unwrap()).sum();
            assert!((causes - t).abs() < 1e-6, "{id}: trend {t}, causes add to {causes}");
        } else {
            assert!(now["health"]["trendCauses"].as_array().unwrap().is_empty());
        }
    }
    assert!(compared > 200, "only {compared} points compared");
}

/// A customer with steady records, then a promise broken in the last week and a low NPS.
fn planted() -> String {
    json!({
        "customers": [{"id": "c1", "name": "Acme", "owner": "Alice", "createdAt": "2026-01-05"}],
        "orders": (0..20).map(|k| json!({"id": format!("o{k}"), "customerId": "c1", "at": format!("2026-{:02}-{:02}T10:00:00Z", 1 + k / 2, 3 + (k % 2) * 14), "amount": 100})).collect::<Vec<_>>(),
        "contacts": (0..22).map(|k| json!({"id": format!("k{k}"), "customerId": "c1", "at": format!("2026-{:02}-{:02}T10:00:00Z", 1 + k / 2, 5 + (k % 2) * 14), "direction": "outbound", "channel": "email"})).collect::<Vec<_>>(),
        "feedback": [
            {"id": "f1", "customerId": "c1", "at": "2026-09-01T10:00:00Z", "kind": "nps", "score": 9},
            {"id": "f2", "customerId": "c1", "at": "2026-11-16T10:00:00Z", "kind": "nps", "score": 2}
        ],
        "promises": [{"id": "p1", "customerId": "c1", "madeAt": "2026-11-09T10:00:00Z", "dueAt": "2026-11-13T17:00:00Z", "text": "send the credit note"}]
    })
    .to_string()
}

#[test]
fn a_planted_broken_promise_and_answer_are_the_causes_of_the_last_change() {
    let e = load(&planted(), "2026-11-20T17:00:00Z");
    let h = v(&e.history("c1", 4).unwrap().unwrap());
    check_sums(&h);
    let last = h["changes"].as_array().unwrap().last().unwrap().clone();
    assert!(last["delta"].as_f64().unwrap() < 0.0, "{last}");
    let causes = last["causes"].as_array().unwrap();
    let promise = causes.iter().find(|c| c["evidence"] == json!({"table": "promises", "id": "p1"})).expect("the promise is a cause");
    assert_eq!(promise["component"], "attention");
    assert!(promise["delta"].as_f64().unwrap() < 0.0);
    assert!(promise["message"].as_str().unwrap().starts_with('−'), "{promise}");
    let answer = causes.iter().find(|c| c["evidence"] == json!({"table": "feedback", "id": "f2"})).expect("the answer is a cause");
    assert_eq!(answer["component"], "satisfaction");
    assert!(answer["delta"].as_f64().unwrap() < 0.0);
    assert!(answer["message"].as_str().unwrap().contains("NPS 2 on"), "{answer}");
    // The weeks before had neither.
    for ch in &h["changes"].as_array().unwrap()[..h["changes"].as_array().unwrap().len() - 1] {
        assert!(ch["causes"].as_array().unwrap().iter().all(|c| c["evidence"]["id"] != "p1" && c["evidence"]["id"] != "f2"), "{ch}");
    }
    // Keeping the promise late takes the penalty off again: the cause is the promise, positive.
    let kept = planted().replace("\"text\":\"send the credit note\"", "\"text\":\"send the credit note\",\"keptAt\":\"2026-11-25T10:00:00Z\"");
    let e = load(&kept, "2026-11-27T17:00:00Z");
    let h = v(&e.history("c1", 2).unwrap().unwrap());
    check_sums(&h);
    let last = h["changes"].as_array().unwrap().last().unwrap();
    let promise = last["causes"].as_array().unwrap().iter().find(|c| c["evidence"]["id"] == "p1").expect("the kept promise");
    assert!(promise["delta"].as_f64().unwrap() > 0.0, "{promise}");
    assert!(promise["message"].as_str().unwrap().contains("closed:"), "{promise}");
}

#[test]
fn the_weeks_are_bounded_and_unknown_ids_have_no_history() {
    let e = load(&planted(), "2026-11-20T17:00:00Z");
    for bad in [0, 105] {
        let err = e.history("c1", bad).unwrap_err();
        assert!(err.to_string().contains("weeks"), "{err}");
    }
    assert!(e.history("nobody", 26).unwrap().is_none());
    let h = e.history("c1", 104).unwrap().unwrap();
    // Known since 5 Jan: the points start then.
    assert!(h.points.len() < 105 && h.points.len() > 40, "{}", h.points.len());
    assert!(h.points.windows(2).all(|w| w[1].at.t - w[0].at.t == 7 * DAY_MS));
    assert_eq!(h.points.last().unwrap().at.t, e.as_of());
}

