//! Value (tiers, RFM) and satisfaction (surveys, zones, complaint load).

mod common;
use common::*;
use serde_json::json;

fn order(id: &str, c: &str, at: &str, amount: f64) -> serde_json::Value {
    json!({"id": id, "customerId": c, "at": at, "amount": amount})
}

fn tier_of(r: &tend::Report, id: &str) -> String {
    format!("{:?}", r.customers.iter().find(|c| c.id == id).unwrap().value.tier)
}

#[test]
fn tiers_by_share_of_trailing_revenue_on_both_sides_of_80_and_95() {
    let data = json!({
        "customers": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}, {"id": "e"}, {"id": "old"}],
        "orders": [
            order("1", "a", "2026-06-01", 50.0), order("2", "b", "2026-06-01", 30.0),
            order("3", "c", "2026-06-01", 15.0), order("4", "d", "2026-06-01", 5.0),
            order("5", "old", "2025-11-19", 1000.0)
        ]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    // Shares above: a 0 %, b 50 %, c 80 % (not under 80: B), d 95 % (not under 95: C).
    assert_eq!(tier_of(&r, "a"), "A");
    assert_eq!(tier_of(&r, "b"), "A");
    assert_eq!(tier_of(&r, "c"), "B");
    assert_eq!(tier_of(&r, "d"), "C");
    assert_eq!(tier_of(&r, "e"), "C", "no revenue");
    assert_eq!(tier_of(&r, "old"), "C", "revenue older than 365 days");
    let c = r.customers.iter().find(|c| c.id == "c").unwrap();
    assert_eq!(c.value.share_above, Some(80.0));
    assert_eq!(c.value.revenue_share, 15.0);

    // Just under both thresholds: c has 79.98 % above it (A), d 94.99 % (B).
    let data = json!({
        "customers": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}],
        "orders": [order("1", "a", "2026-06-01", 50.0), order("2", "b", "2026-06-01", 29.98),
                   order("3", "c", "2026-06-01", 15.01), order("4", "d", "2026-06-01", 5.01)]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(tier_of(&r, "c"), "A", "79.98 % above");
    assert_eq!(tier_of(&r, "d"), "B", "94.99 % above");
}

#[test]
fn tier_ties_are_broken_by_id_and_policy_moves_the_cut() {
    let data = json!({
        "customers": [{"id": "y"}, {"id": "x"}],
        "orders": [order("1", "y", "2026-06-01", 10.0), order("2", "x", "2026-06-01", 10.0)]
    });
    let r = run_with(data.clone(), "2026-11-20T00:00:00Z", json!({"tiers": {"A": 50, "B": 50}}));
    assert_eq!(tier_of(&r, "x"), "A");
    assert_eq!(tier_of(&r, "y"), "B", "50 % above is not under 50 %");
    let r = run_with(data, "2026-11-20T00:00:00Z", json!({"tiers": {"A": 50.1, "B": 10}}));
    assert_eq!(tier_of(&r, "y"), "A");
}

#[test]
fn refunds_reduce_revenue() {
    let data = json!({
        "customers": [{"id": "a"}],
        "orders": [order("1", "a", "2026-06-01", 100.0), {"id": "2", "customerId": "a", "at": "2026-06-02", "amount": -40, "kind": "refund"}]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(r.customers[0].value.revenue12m, 60.0);
    assert_eq!(r.customers[0].value.rfm.as_ref().unwrap().frequency, 1);
}

#[test]
fn rfm_quintiles_and_segments() {
    // Five buyers: c5 bought most recently, most often and most; c1 the opposite.
    let mut orders = Vec::new();
    for k in 1..=5 {
        for n in 0..k {
            orders.push(order(&format!("o{k}-{n}"), &format!("c{k}"), &format!("2026-{:02}-01", 2 * k - 1 + (n % 2)), 10.0 * k as f64));
        }
    }
    let data = json!({"customers": (1..=5).map(|k| json!({"id": format!("c{k}")})).collect::<Vec<_>>(), "orders": orders});
    let r = run(data, "2026-11-20T00:00:00Z");
    for (k, c) in r.customers.iter().enumerate() {
        let rfm = c.value.rfm.as_ref().unwrap();
        let s = (k + 1) as u8;
        assert_eq!((rfm.r, rfm.f, rfm.m), (s, s, s), "{}", c.id);
    }
    assert_eq!(r.customers[4].value.rfm.as_ref().unwrap().segment, "Champions");
    assert_eq!(r.customers[0].value.rfm.as_ref().unwrap().segment, "Lost");
    // A customer without orders has no RFM.
    let r = run(json!({"customers": [{"id": "z"}]}), "2026-11-20T00:00:00Z");
    assert!(r.customers[0].value.rfm.is_none());
}

#[test]
fn survey_figures_latest_and_trailing() {
    let fb = |id: &str, at: &str, kind: &str, score: u8| json!({"id": id, "customerId": "c1", "at": at, "kind": kind, "score": score});
    let data = json!({
        "customers": [{"id": "c1"}],
        "feedback": [
            fb("1", "2025-10-01", "nps", 0), fb("2", "2026-01-10", "nps", 10), fb("3", "2026-03-10", "nps", 9),
            fb("4", "2026-09-10", "nps", 6), fb("5", "2026-04-01", "csat", 4), fb("6", "2026-05-01", "csat", 2),
            fb("7", "2026-06-01", "ces", 6), fb("8", "2026-12-01", "nps", 0)
        ]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    let s = &r.customers[0].satisfaction;
    assert_eq!(s.nps.latest, Some(6));
    assert_eq!(s.nps.count12m, 3, "the 2025 answer is outside the window, the December one is future");
    assert_eq!(s.nps.score12m, Some(33.33));
    assert_eq!(s.nps.mean12m, Some(8.33));
    assert_eq!(s.csat.score12m, Some(50.0));
    assert_eq!(s.ces.score12m, Some(6.0));
    assert_eq!(s.zone.map(|z| format!("{z:?}")), Some("Defection".into()), "latest answer: NPS 6");
    assert_eq!(s.zone_kind.map(|k| k.as_str()), Some("nps"));
    // index = mean of 83.33 (NPS 8.33), 50 (CSAT 3), 83.33 (CES 6).
    assert_eq!(s.index, Some(72.22));
    assert_eq!(r.input.feedback.future, 1);
}

#[test]
fn index_falls_back_to_latest_answers_and_is_null_without_feedback() {
    let data = json!({"customers": [{"id": "c1"}, {"id": "c2"}],
                      "feedback": [{"id": "1", "customerId": "c1", "at": "2024-01-01", "kind": "csat", "score": 5}]});
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(r.customers[0].satisfaction.index, Some(100.0));
    assert_eq!(r.customers[0].satisfaction.nps.count12m, 0);
    assert_eq!(r.customers[1].satisfaction.index, None);
    assert_eq!(r.customers[1].satisfaction.zone, None);
}

#[test]
fn zone_thresholds_are_policy() {
    let data = json!({"customers": [{"id": "c1"}],
                      "feedback": [{"id": "1", "customerId": "c1", "at": "2026-11-01", "kind": "nps", "score": 8}]});
    let r = run(data.clone(), "2026-11-20T00:00:00Z");
    assert_eq!(format!("{:?}", r.customers[0].satisfaction.zone.unwrap()), "Indifference");
    let r = run_with(data, "2026-11-20T00:00:00Z", json!({"zones": {"nps": {"indifference": 7, "affection": 8}}}));
    assert_eq!(format!("{:?}", r.customers[0].satisfaction.zone.unwrap()), "Affection");
}

#[test]
fn complaint_load() {
    let x = |id: &str, sev: &str, opened: &str, resolved: Option<&str>| {
        let mut v = json!({"id": id, "customerId": "c1", "openedAt": opened, "severity": sev});
        if let Some(r) = resolved {
            v["resolvedAt"] = json!(r);
        }
        v
    };
    let data = json!({"customers": [{"id": "c1"}], "complaints": [
        x("1", "critical", "2026-11-01", None), x("2", "low", "2026-10-01", Some("2026-10-02")),
        x("3", "high", "2025-01-01", None), x("4", "medium", "2026-11-10", Some("2026-11-25"))
    ]});
    let r = run(data, "2026-11-20T00:00:00Z");
    let l = &r.customers[0].satisfaction.complaints;
    assert_eq!((l.open, l.open_high, l.count12m), (3, 2, 3));
    assert_eq!(l.weighted12m, 8.0 + 1.0 + 2.0);
}
