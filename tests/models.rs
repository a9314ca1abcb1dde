//! The buying-model API (`fitBuyingModel`, `scoreBuying`, and the models inside `analyze()`),
//! checked on the CDNOW sample against the published figures.

use serde_json::json;
use tend::models::{fit_buying_model, score_buying, FitInput, FitRequest, ScoreOptions, SummaryIn};

const SAMPLE: &str = include_str!("data/CDNOW_sample.txt");

/// The CDNOW transactions as SPEC-like orders: `{customerId, at, amount}`.
fn orders() -> Vec<serde_json::Value> {
    SAMPLE
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let d = f.get(2)?;
            Some(json!({"customerId": f.get(1)?.trim_start_matches('0'), "at": format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8]), "amount": f.get(4)?.parse::<f64>().ok()?}))
        })
        .collect()
}

fn fit(model: &str, spend: bool) -> tend::models::FitResult {
    let input: FitInput = serde_json::from_value(json!({"orders": orders()})).unwrap();
    let mut req = json!({"model": model, "timeUnit": "week", "asOf": "1997-09-30"});
    if spend {
        req["spend"] = json!("gammagamma");
    }
    fit_buying_model(&input, &serde_json::from_value::<FitRequest>(req).unwrap()).unwrap()
}

fn close(what: &str, got: f64, want: f64, rel: f64) {
    assert!(((got - want) / want).abs() <= rel, "{what}: got {got}, published {want}");
}

#[test]
fn bgnbd_from_orders_matches_the_published_fit() {
    let f = fit("bgnbd", true);
    assert_eq!(f.model, "bgnbd");
    assert_eq!(f.customers, 2357);
    assert!(f.converged);
    close("LL", f.log_likelihood, -9582.4, 1e-5);
    close("r", f.params.get("r").copied().unwrap_or(f64::NAN), 0.243, 2e-3);
    close("alpha", f.params.get("alpha").copied().unwrap_or(f64::NAN), 4.414, 1e-3);
    close("a", f.params.get("a").copied().unwrap_or(f64::NAN), 0.793, 1e-3);
    close("b", f.params.get("b").copied().unwrap_or(f64::NAN), 2.426, 1e-3);
    let g = f.spend.as_ref().unwrap();
    assert_eq!(g.customers, Some(946));
    close("p", g.params.get("p").copied().unwrap_or(f64::NAN), 6.25, 1e-3);
    close("q", g.params.get("q").copied().unwrap_or(f64::NAN), 3.74, 2e-3);
    close("gamma", g.params.get("gamma").copied().unwrap_or(f64::NAN), 15.44, 1e-3);
}

#[test]
fn pareto_nbd_from_orders_matches_the_published_fit() {
    let f = fit("paretonbd", false);
    assert!((f.log_likelihood - -9595.0).abs() < 0.1, "{}", f.log_likelihood);
    close("r", f.params.get("r").copied().unwrap_or(f64::NAN), 0.553, 0.01);
    close("s", f.params.get("s").copied().unwrap_or(f64::NAN), 0.606, 0.01);
}

#[test]
fn score_buying_gives_the_published_conditional_expectation() {
    let f = fit("bgnbd", true);
    let s: Vec<SummaryIn> = serde_json::from_value(json!([{"id": 1, "frequency": 2, "recency": 30.43, "T": 38.86, "monetaryValue": 22.35}])).unwrap();
    let out = score_buying(&f, &s, &ScoreOptions { horizon: Some(39.0), discount_rate: Some(0.0) }).unwrap();
    assert_eq!(out[0].id, "1");
    assert!((out[0].expected_purchases - 1.226).abs() < 2e-3, "{}", out[0].expected_purchases);
    assert!(out[0].p_alive > 0.0 && out[0].p_alive <= 1.0);
    assert!(out[0].prob_no_purchase > 0.0 && out[0].prob_no_purchase < 1.0);
    // CLV with no discount is expected purchases × expected spend.
    let v = out[0].expected_spend.unwrap();
    assert!((out[0].clv.unwrap() - v * out[0].expected_purchases).abs() < 1e-6 * v.max(1.0) * 40.0);
}

#[test]
fn no_hidden_time_unit_and_clear_errors() {
    let input: FitInput = serde_json::from_value(json!({"orders": [{"customerId": "a", "at": "2026-01-01", "amount": 1}]})).unwrap();
    let e = fit_buying_model(&input, &serde_json::from_value(json!({"asOf": "2026-02-01"})).unwrap()).unwrap_err();
    assert_eq!(e.path(), "options.timeUnit");
    let e = fit_buying_model(&input, &serde_json::from_value(json!({"asOf": "2026-02-01", "timeUnit": "week"})).unwrap()).unwrap_err();
    assert_eq!(e.code(), "fit_failed");
    let bad: FitInput = serde_json::from_value(json!({"summaries": [{"id": "a", "frequency": 1.5, "recency": 1, "T": 2}]})).unwrap();
    assert_eq!(fit_buying_model(&bad, &FitRequest::default()).unwrap_err().path(), "input.summaries[0].frequency");
    let bad: FitInput = serde_json::from_value(json!({"summaries": [{"id": "a", "frequency": 1, "recency": 3, "T": 2}]})).unwrap();
    assert_eq!(fit_buying_model(&bad, &FitRequest::default()).unwrap_err().path(), "input.summaries[0].recency");
    let e = fit_buying_model(&input, &serde_json::from_value(json!({"model": "nbd", "asOf": "2026-02-01", "timeUnit": "week"})).unwrap()).unwrap_err();
    assert_eq!(e.path(), "options.model");
}

#[test]
fn analyze_fits_on_the_portfolio_and_reuses_a_stored_fit() {
    // CDNOW as a CRM export: 2,357 customers, their orders, analysed at the end of calibration.
    let os = orders();
    let ids: std::collections::BTreeSet<String> = os.iter().map(|o| o["customerId"].as_str().unwrap().to_owned()).collect();
    let data = json!({
        "customers": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>(),
        "orders": os.iter().enumerate().map(|(i, o)| json!({"id": i, "customerId": o["customerId"], "at": o["at"], "amount": o["amount"]})).collect::<Vec<_>>()
    });
    let text = data.to_string();
    let r = tend::analyze_str(&text, &tend::Options::at("1997-09-30T12:00:00Z").unwrap()).unwrap();
    let m = &r.models;
    assert_eq!(m.source, "fitted");
    assert_eq!(m.repeat_buyers, 946);
    let b = m.buying.as_ref().unwrap();
    assert!((b.log_likelihood.unwrap() - -9582.4).abs() < 0.1, "{:?}", b.log_likelihood);
    let c1 = r.customers.iter().find(|c| c.id == "1").unwrap();
    assert!(c1.buying.p_alive.is_some() && c1.value.clv.is_some());
    assert!(r.portfolio.value_at_risk.clv.is_some());
    // Too few repeat buyers: no model, with the reason.
    let small = json!({"customers": [{"id": "a"}], "orders": [{"id": "1", "customerId": "a", "at": "2026-01-01", "amount": 5}]});
    let r2 = tend::analyze_str(&small.to_string(), &tend::Options::at("2026-02-01").unwrap()).unwrap();
    assert_eq!(r2.models.source, "none");
    assert!(r2.models.reason.as_deref().unwrap().contains("too few repeat buyers"));
    assert_eq!(r2.customers[0].buying.p_alive, None);
    // The stored fit scores a single customer with the portfolio's model.
    let stored = serde_json::to_value(&r.models).unwrap();
    let opts = tend::Options::from_json(&json!({"asOf": "2026-02-01", "models": stored})).unwrap();
    let r3 = tend::analyze_str(&small.to_string(), &opts).unwrap();
    assert_eq!(r3.models.source, "options");
    assert!(r3.customers[0].buying.p_alive.is_some());
    let bad = tend::Options::from_json(&json!({"asOf": "2026-02-01", "models": {"buying": {"model": "bgnbd", "params": {"r": 1}}}})).unwrap_err();
    assert_eq!(bad.path(), "options.models.buying.params.alpha");
}
