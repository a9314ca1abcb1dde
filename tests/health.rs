//! Issue 4: buying, stage, health, risk, exposure, actions, priority, worklist, owners and the
//! portfolio — each rule on both sides of its threshold.

mod common;
use common::*;
use serde_json::{json, Value};
use tend::report::{CustomerReport, Report};

fn cust<'a>(r: &'a Report, id: &str) -> &'a CustomerReport {
    r.customers.iter().find(|c| c.id == id).unwrap()
}

fn status(r: &Report, id: &str) -> String {
    serde_json::to_value(cust(r, id).buying.status).unwrap().as_str().unwrap().to_owned()
}

fn stage(r: &Report, id: &str) -> String {
    serde_json::to_value(cust(r, id).stage).unwrap().as_str().unwrap().to_owned()
}

/// Orders for `c1` at the given ISO dates.
fn orders(dates: &[&str]) -> Value {
    json!(dates.iter().enumerate().map(|(i, d)| json!({"id": format!("o{i}"), "customerId": "c1", "at": d, "amount": 100})).collect::<Vec<_>>())
}

fn with_orders(dates: &[&str]) -> Value {
    with(json!({"customers": [{"id": "c1", "owner": "Alice"}]}), "orders", orders(dates))
}

#[test]
fn buying_never_and_new() {
    // An empty orders table: never bought. No orders table: not recorded (absent is not empty).
    let r = run(json!({"customers": [{"id": "c1"}], "orders": []}), "2026-11-20T00:00:00Z");
    assert_eq!(status(&r, "c1"), "never");
    assert_eq!(stage(&r, "c1"), "awareness");
    let r = run(json!({"customers": [{"id": "c1"}], "contacts": []}), "2026-11-20T00:00:00Z");
    assert_eq!(status(&r, "c1"), "not_recorded");
    assert_eq!(stage(&r, "c1"), "awareness");
    let b = &cust(&r, "c1").health.components.buying;
    assert_eq!((b.evaluated, b.facts.as_slice()), (false, ["not evaluated: orders not in the export".to_string()].as_slice()));
    assert!(r.input.not_evaluated.iter().any(|n| n.table.as_str() == "orders" && n.rules.contains("not_recorded")));
    // First order exactly 90 days before asOf: new; a second later: no longer.
    let data = with_orders(&["2026-08-22T00:00:00Z"]);
    assert_eq!(status(&run(data.clone(), "2026-11-20T00:00:00Z"), "c1"), "new");
    assert_eq!(status(&run(data, "2026-11-20T00:00:01Z"), "c1"), "steady");
}

#[test]
fn buying_lapsed_against_rhythm() {
    // Monthly buyer (median gap 30 days), last order 1 May: lapsed once > 90 days (3 gaps) have passed.
    let dates = ["2026-01-01", "2026-01-31", "2026-03-02", "2026-04-01", "2026-05-01"];
    let data = with_orders(&dates);
    assert_ne!(status(&run(data.clone(), "2026-07-30T00:00:00Z"), "c1"), "lapsed", "exactly 90 days");
    let r = run(data, "2026-07-30T00:00:01Z");
    assert_eq!(status(&r, "c1"), "lapsed");
    assert_eq!(stage(&r, "c1"), "dissolution");
    assert_eq!(cust(&r, "c1").buying.median_gap_days, Some(30.0));
}

#[test]
fn buying_slowing_when_overdue_against_rhythm() {
    // Weekly buyer for a year, last order 1 Nov: slowing once more than 2 gaps and 30 days have passed.
    let mut dates: Vec<String> = Vec::new();
    let start = tend::time::parse_instant("2025-11-02T00:00:00Z", 0).unwrap();
    for k in 0..53 {
        dates.push(tend::time::format_instant(start + k * 7 * 86_400_000, 0));
    }
    let last = dates.last().unwrap().clone();
    assert!(last.starts_with("2026-11-01"));
    let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
    let data = with_orders(&refs);
    assert_eq!(status(&run(data.clone(), "2026-12-01T00:00:00Z"), "c1"), "steady", "30 days: not more than 30");
    let r = run(data, "2026-12-01T00:00:01Z");
    assert_eq!(status(&r, "c1"), "slowing");
    assert_eq!(cust(&r, "c1").buying.overdue_days, Some(23.0));
}

#[test]
fn buying_rate_test_growing_and_slowing() {
    // Baseline: 4 orders in the year before the window; recent: 12 in 90 days → significantly up.
    let mut d: Vec<String> = ["2025-09-01", "2025-11-01", "2026-01-05", "2026-03-01"].iter().map(|s| s.to_string()).collect();
    for k in 0..12 {
        d.push(format!("2026-{:02}-{:02}", 9 + k / 4, 1 + 7 * (k % 4)));
    }
    let refs: Vec<&str> = d.iter().map(String::as_str).collect();
    let r = run(with_orders(&refs), "2026-11-25T00:00:00Z");
    let b = &cust(&r, "c1").buying;
    assert_eq!((b.recent_orders, b.baseline_orders), (12, 4));
    assert!(b.p_value.unwrap() < 0.05);
    assert_eq!(status(&r, "c1"), "growing");
    // Baseline 30 orders (every 3 days from 1 Sep 2025), recent 1 (10 days ago): P(X ≤ 1) ≈ 0.009.
    let start = tend::time::parse_instant("2025-09-01T00:00:00Z", 0).unwrap();
    let mut d: Vec<String> = (0..30).map(|k| tend::time::format_instant(start + k * 3 * 86_400_000, 0)).collect();
    d.push("2026-11-15".into());
    let refs: Vec<&str> = d.iter().map(String::as_str).collect();
    let r = run(with_orders(&refs), "2026-11-25T00:00:00Z");
    let b = &cust(&r, "c1").buying;
    assert_eq!((b.recent_orders, b.baseline_orders), (1, 30));
    assert_eq!(status(&r, "c1"), "slowing");
    // With 20 baseline orders the same drop is not significant (P ≈ 0.06): steady.
    let refs: Vec<&str> = d[10..].iter().map(String::as_str).collect();
    let r = run(with_orders(&refs), "2026-11-25T00:00:00Z");
    assert_eq!(cust(&r, "c1").buying.baseline_orders, 20);
    assert_eq!(status(&r, "c1"), "steady");
}

#[test]
fn stages() {
    // Two orders: exploration. Three steady ones: commitment.
    let r = run(with_orders(&["2026-01-01", "2026-02-01"]), "2026-03-01T00:00:00Z");
    assert_eq!(stage(&r, "c1"), "exploration");
    let r = run(with_orders(&["2025-12-01", "2026-01-01", "2026-02-01"]), "2026-03-06T00:00:00Z");
    assert_eq!(stage(&r, "c1"), "commitment");
}

#[test]
fn health_components_and_bands() {
    // A steady buyer with one missed call 4 business days overdue (high: 20 + 4 = 24 off attention).
    let data = with(
        with_orders(&["2025-12-01", "2026-03-01", "2026-06-01", "2026-09-01"]),
        "contacts",
        json!([{"id": "o0", "customerId": "c1", "at": "2026-11-10", "direction": "outbound", "channel": "email"},
               {"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z", "direction": "inbound", "channel": "call", "status": "missed"}]),
    );
    let data = with(data, "feedback", json!([{"id": "f", "customerId": "c1", "at": "2026-11-01", "kind": "csat", "score": 4}]));
    // No complaints or deliveries table: service is not evaluated, its weight spread over the
    // others: (0.35 × 75 + 0.30 × 85 + 0.20 × 76) / 0.85 = 78.76.
    let r = run(data.clone(), "2026-11-26T09:30:00Z");
    let h = &cust(&r, "c1").health;
    assert!(!h.components.service.evaluated && h.components.attention.evaluated, "{:?}", h.components);
    assert_eq!([h.components.satisfaction.weight, h.components.buying.weight, h.components.attention.weight, h.components.service.weight], [0.4118, 0.3529, 0.2353, 0.0]);
    assert_eq!(h.score, 78.76);
    assert!(h.components.service.facts[0].starts_with("not evaluated"), "{:?}", h.components.service.facts);
    // An empty complaints table is "recorded, none": service counts, at 100.
    let data = with(data, "complaints", json!([]));
    let r = run(data.clone(), "2026-11-26T09:30:00Z");
    let h = &cust(&r, "c1").health;
    assert!(h.components.service.evaluated);
    assert_eq!(h.components.attention.score, 76.0);
    assert_eq!(h.components.service.score, 100.0);
    assert_eq!(h.components.satisfaction.score, 75.0);
    assert_eq!(h.components.buying.score, 85.0);
    // 0.35 × 75 + 0.30 × 85 + 0.20 × 76 + 0.15 × 100 = 81.95
    assert_eq!(h.score, 81.95);
    assert_eq!(format!("{:?}", h.band), "Green");
    // Bands are policy: green from 82 puts 81.95 in amber.
    let r = run_with(data, "2026-11-26T09:30:00Z", json!({"bands": {"green": 82, "amber": 81.95}}));
    assert_eq!(format!("{:?}", cust(&r, "c1").health.band), "Amber");
}

#[test]
fn trend_is_a_point_in_time_rerun() {
    let data = with(
        with_orders(&["2025-12-01", "2026-03-01", "2026-06-01", "2026-09-01"]),
        "complaints",
        json!([{"id": "x", "customerId": "c1", "openedAt": "2026-11-02", "severity": "high"}]),
    );
    let now = run(data.clone(), "2026-11-26T00:00:00Z");
    let then = run(data, "2026-10-27T00:00:00Z");
    let (a, b) = (cust(&now, "c1").health.score, cust(&then, "c1").health.score);
    assert!(a < b, "the open complaint hurt health");
    assert_eq!(cust(&now, "c1").health.trend, Some(((a - b) * 100.0).round() / 100.0));
}

#[test]
fn exposure_both_ways_and_do_not_over_serve() {
    let data = json!({
        "customers": [{"id": "a"}, {"id": "b", "referredBy": "a"}, {"id": "c", "referredBy": "b"}, {"id": "d"}],
        "feedback": [{"id": "f1", "customerId": "a", "at": "2026-11-01", "kind": "nps", "score": 2},
                     {"id": "f2", "customerId": "c", "at": "2026-11-01", "kind": "nps", "score": 10}]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(cust(&r, "b").exposure, vec!["a".to_string()], "b was referred by unhappy a");
    assert!(cust(&r, "a").exposure.is_empty());
    assert!(cust(&r, "c").exposure.is_empty(), "b is neither unhappy nor at high risk");
    assert!(cust(&r, "b").risk.reasons.iter().any(|x| x.code == "exposure"));
    // d: tier C, low risk, nothing open → no action at all.
    assert!(cust(&r, "d").actions.is_empty());
    assert_eq!(format!("{:?}", cust(&r, "d").risk.level), "Low");
}

#[test]
fn uplift_is_the_health_gained_when_the_cause_is_gone() {
    let base = with(
        with_orders(&["2025-12-01", "2026-03-01", "2026-06-01", "2026-09-01"]),
        "contacts",
        json!([{"id": "o0", "customerId": "c1", "at": "2026-11-10", "direction": "outbound", "channel": "email"},
               {"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z", "direction": "inbound", "channel": "email"}]),
    );
    let base = with(base, "feedback", json!([{"id": "f", "customerId": "c1", "at": "2026-11-01", "kind": "csat", "score": 4}]));
    let before = run(base.clone(), "2026-11-26T09:30:00Z");
    let action = cust(&before, "c1").actions.iter().find(|a| a.kind == "unreturned_contact").unwrap().clone();
    assert!(action.uplift > 0.0);
    // Return the call one minute before asOf: the flag is gone, nothing else changes.
    let returned = with(base, "contacts", json!([{"id": "o1", "customerId": "c1", "at": "2026-11-26T09:29:00Z", "direction": "outbound", "channel": "call"}]));
    let after = run(returned, "2026-11-26T09:30:00Z");
    let gained = cust(&after, "c1").health.score - cust(&before, "c1").health.score;
    assert!((gained - action.uplift).abs() < 0.011, "uplift {} vs re-run {}", action.uplift, gained);
}

#[test]
fn worklist_by_priority_and_owner_scorecards() {
    let data = json!({
        "customers": [{"id": "big", "owner": "Alice"}, {"id": "small", "owner": "Bruno"}],
        "orders": [{"id": "o1", "customerId": "big", "at": "2026-06-01", "amount": 10000},
                   {"id": "o2", "customerId": "small", "at": "2026-06-01", "amount": 10}],
        "contacts": [{"id": "k1", "customerId": "big", "at": "2026-11-16", "direction": "inbound", "channel": "email"},
                     {"id": "k2", "customerId": "small", "at": "2026-11-16", "direction": "inbound", "channel": "email"}],
        "promises": [{"id": "p1", "customerId": "big", "madeAt": "2026-10-01", "dueAt": "2026-10-10", "keptAt": "2026-10-12", "owner": "Chen"},
                     {"id": "p2", "customerId": "big", "madeAt": "2026-10-01", "dueAt": "2026-10-10", "keptAt": "2026-10-09", "owner": "Chen"}],
        "complaints": [{"id": "x1", "customerId": "small", "openedAt": "2026-11-02T10:00:00Z", "severity": "low", "firstResponseAt": "2026-11-02T11:00:00Z", "resolvedAt": "2026-11-04T10:00:00Z"},
                       {"id": "x2", "customerId": "small", "openedAt": "2026-11-09T10:00:00Z", "severity": "low", "firstResponseAt": "2026-11-09T11:00:00Z", "resolvedAt": "2026-11-13T10:00:00Z"}]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    assert!(cust(&r, "big").priority > cust(&r, "small").priority);
    assert_eq!(r.worklist[0].customer_id, "big");
    for w in r.worklist.windows(2) {
        assert!(w[0].priority > w[1].priority || (w[0].priority == w[1].priority && w[0].customer_id <= w[1].customer_id));
    }
    let chen = r.owners.iter().find(|o| o.owner.as_deref() == Some("Chen")).unwrap();
    assert_eq!(chen.broken_promise_rate, Some(0.5), "kept late counts as broken");
    let bruno = r.owners.iter().find(|o| o.owner.as_deref() == Some("Bruno")).unwrap();
    assert_eq!(bruno.median_complaint_resolution_days, Some(3.0), "2 and 4 business days");
    assert_eq!(bruno.open_flags.get("unreturned_contact"), Some(&1));
    assert_eq!(bruno.customers, 1);
}

#[test]
fn daily_series() {
    let fb = |id: &str, at: &str, kind: &str, score: u8| json!({"id": id, "customerId": "c1", "at": at, "kind": kind, "score": score});
    let data = json!({"customers": [{"id": "c1"}],
        "feedback": [fb("1", "2026-08-01", "nps", 10), fb("2", "2026-11-10", "nps", 3), fb("3", "2026-11-10", "csat", 5), fb("4", "2026-11-12", "ces", 6)],
        "complaints": [{"id": "x", "customerId": "c1", "openedAt": "2026-11-05", "severity": "low", "resolvedAt": "2026-11-15"}]});
    let r = run(data, "2026-11-20T12:00:00Z");
    let d = &r.portfolio.daily;
    assert_eq!(d.len(), 90);
    assert_eq!(d[89].date, "2026-11-20");
    assert_eq!(d[0].date, "2026-08-23");
    // On the last day the 1 Aug answer (more than 90 days old) is out: NPS = −100.
    assert_eq!(d[89].nps, Some(-100.0));
    assert_eq!(d[89].csat, Some(100.0));
    assert_eq!(d[89].ces, Some(6.0));
    assert_eq!(d[89].open_complaints, 0);
    let nov10 = d.iter().find(|p| p.date == "2026-11-10").unwrap();
    assert_eq!(nov10.nps, Some(-100.0), "the 1 Aug answer left the window on 30 Oct");
    assert_eq!(nov10.open_complaints, 1);
    let oct29 = d.iter().find(|p| p.date == "2026-10-29").unwrap();
    assert_eq!((oct29.nps, oct29.responses), (Some(100.0), 1));
    let oct30 = d.iter().find(|p| p.date == "2026-10-30").unwrap();
    assert_eq!((oct30.nps, oct30.responses), (None, 0));
    let aug30 = d.iter().find(|p| p.date == "2026-08-30").unwrap();
    assert_eq!((aug30.nps, aug30.csat), (Some(100.0), None));
    assert_eq!(r.portfolio.counts.get("tier").and_then(|m| m.get("C")).copied().unwrap_or(0), 1);
    assert_eq!(r.portfolio.counts.get("band").map_or(0, |m| m.len()), 3);
}

#[test]
fn stage_expansion_and_dissolution_both_sides() {
    // Revenue in the last 12 months against the 12 before: above 1.2× is expansion.
    let data = |recent: f64| {
        json!({"customers": [{"id": "c1"}], "orders": [
            {"id": "a", "customerId": "c1", "at": "2025-03-01", "amount": 100}, {"id": "b", "customerId": "c1", "at": "2025-06-01", "amount": 100},
            {"id": "c", "customerId": "c1", "at": "2025-09-01", "amount": 100}, {"id": "d", "customerId": "c1", "at": "2025-12-01", "amount": recent / 3.0},
            {"id": "e", "customerId": "c1", "at": "2026-03-01", "amount": recent / 3.0}, {"id": "f", "customerId": "c1", "at": "2026-06-01", "amount": recent / 3.0}
        ]})
    };
    // Analysed on 2026-10-01: the last 12 months hold d, e, f; the 12 before a, b, c (300).
    assert_eq!(stage(&run(data(360.0), "2026-10-01T00:00:00Z"), "c1"), "commitment", "exactly 1.2×");
    assert_eq!(stage(&run(data(361.0), "2026-10-01T00:00:00Z"), "c1"), "expansion");
    // A slowing buyer is in dissolution with defection-zone feedback, not with indifference.
    let start = tend::time::parse_instant("2025-09-01T00:00:00Z", 0).unwrap();
    let mut d: Vec<String> = (0..30).map(|k| tend::time::format_instant(start + k * 3 * 86_400_000, 0)).collect();
    d.push("2026-11-15".into());
    let refs: Vec<&str> = d.iter().map(String::as_str).collect();
    let fb = |score: u8| json!([{"id": "f", "customerId": "c1", "at": "2026-11-01", "kind": "nps", "score": score}]);
    let contacted = with(with_orders(&refs), "contacts", json!([{"id": "o", "customerId": "c1", "at": "2026-11-20", "direction": "outbound", "channel": "email"}]));
    let r = run(with(contacted.clone(), "feedback", fb(6)), "2026-11-25T00:00:00Z");
    assert_eq!(status(&r, "c1"), "slowing");
    assert_eq!(stage(&r, "c1"), "dissolution");
    let r = run(with(contacted, "feedback", fb(7)), "2026-11-25T00:00:00Z");
    assert!(cust(&r, "c1").neglect.is_empty());
    assert_eq!(stage(&r, "c1"), "commitment");
}

#[test]
fn state_actions_only_where_they_matter() {
    // A slowing buyer gets a check-in.
    let start = tend::time::parse_instant("2025-09-01T00:00:00Z", 0).unwrap();
    let mut d: Vec<String> = (0..30).map(|k| tend::time::format_instant(start + k * 3 * 86_400_000, 0)).collect();
    d.push("2026-11-15".into());
    let refs: Vec<&str> = d.iter().map(String::as_str).collect();
    let a = run(with_orders(&refs), "2026-11-25T00:00:00Z");
    assert!(cust(&a, "c1").actions.iter().any(|x| x.kind == "check_in"));
    // A promoter at low risk with nothing open is asked for a referral.
    let p = with(
        with(json!({"customers": [{"id": "c1"}]}), "orders", orders(&["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"])),
        "feedback",
        json!([{"id": "f", "customerId": "c1", "at": "2026-11-01", "kind": "nps", "score": 10}]),
    );
    let p = with(p, "contacts", json!([{"id": "o", "customerId": "c1", "at": "2026-11-10", "direction": "outbound", "channel": "email"}]));
    let r = run(p.clone(), "2026-11-20T00:00:00Z");
    assert_eq!(format!("{:?}", cust(&r, "c1").value.tier), "A");
    assert_eq!(cust(&r, "c1").actions.iter().map(|a| a.kind).collect::<Vec<_>>(), vec!["ask_referral"]);
    // The same promoter as a tier-C customer at low risk (a bigger customer takes the revenue):
    // no action — do not over-serve.
    let small = with(with(p, "customers", json!([{"id": "big"}])), "orders", json!([{"id": "big1", "customerId": "big", "at": "2026-11-01", "amount": 1000000}]));
    let r = run(small, "2026-11-20T00:00:00Z");
    let c1 = cust(&r, "c1");
    assert_eq!((format!("{:?}", c1.value.tier), format!("{:?}", c1.risk.level)), ("C".to_string(), "Low".to_string()));
    assert!(c1.actions.is_empty(), "{:?}", c1.actions);
}

#[test]
fn a_detractor_won_back_gains_the_health_of_an_answer_in_the_indifference_zone() {
    // One NPS 3 (index 30): a next answer of 7 makes the 12-month mean 5 (index 50), so the
    // satisfaction component gains 20 points, health its weight × 20.
    let one = |scores: &[(&str, u8)]| {
        let fb: Vec<Value> = scores.iter().enumerate().map(|(k, (at, s))| json!({"id": format!("f{k}"), "customerId": "c1", "at": at, "kind": "nps", "score": s})).collect();
        let mut data = base("2026-11-16T10:00:00Z");
        data["feedback"] = json!(fb);
        data["orders"] = orders(&["2026-09-01", "2026-10-01", "2026-11-01"]);
        let r = run(data, "2026-11-20T17:00:00Z");
        let c = cust(&r, "c1").clone();
        let w = c.health.components.satisfaction.weight;
        c.actions.iter().find(|a| a.kind == "recover_detractor").map(|a| (a.uplift, w))
    };
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    // (Without complaints or deliveries in the export, the weight is 0.35 / 0.85.)
    let (uplift, w) = one(&[("2026-11-10T10:00:00Z", 3)]).expect("a detractor");
    assert!((w - 0.35 / 0.85).abs() < 1e-4, "{w}");
    assert_eq!(uplift, r2(20.0 * w));
    // With 10 and 10 before, a 7 lowers the mean: nothing to gain in health (not negative).
    let (uplift, _) = one(&[("2026-06-10T10:00:00Z", 10), ("2026-08-10T10:00:00Z", 10), ("2026-11-10T10:00:00Z", 3)]).expect("a detractor");
    assert_eq!(uplift, 0.0);
    // A 6 before the 3: the mean goes from 4.5 to 5.33, index 45 → 53.33.
    let (uplift, w) = one(&[("2026-08-10T10:00:00Z", 6), ("2026-11-10T10:00:00Z", 3)]).expect("a detractor");
    assert_eq!(uplift, r2(8.33 * w));
    // Not a detractor: no such action.
    assert!(one(&[("2026-11-10T10:00:00Z", 8)]).is_none());
}
