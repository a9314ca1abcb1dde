//! Native benchmarks (criterion): the engine on the bundled sample (load, a customer, a page, an
//! update), and fitting / scoring the
//! buying models on CDNOW-sized and simulated portfolios. `make bench` runs these and the
//! wasm harness (`bench/*.mjs`).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tend::btyd::{fit_bgnbd, fit_pareto_nbd, simulate_bgnbd, BgNbd, CountModel, FitOptions, Observation};

fn sample() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/sample/export.json")).expect("www/sample/export.json")
}

fn analysis(c: &mut Criterion) {
    let text = sample();
    let none = serde_json::json!({});
    let engine = tend::Engine::load_json(&text, &none, None).expect("load");
    let ids: Vec<String> = engine.report().customers.iter().map(|c| c.id.clone()).collect();
    let page = tend::engine::query::Query::from_json(&serde_json::json!({"limit": 50, "sort": "overdue"}), "query").expect("query");
    let mut g = c.benchmark_group("sample (300 customers)");
    g.bench_function("analyze(): load + whole report as JSON", |b| {
        b.iter(|| tend::report::to_json(&tend::analyze_input(black_box(&text), &none, None).expect("ok")).expect("json"))
    });
    g.bench_function("Engine::load_json", |b| b.iter(|| tend::Engine::load_json(black_box(&text), &none, None).expect("load")));
    g.bench_function("customer(id)", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % ids.len();
            engine.customer(&ids[i])
        })
    });
    g.bench_function("worklist page of 50 by overdue", |b| b.iter(|| engine.worklist(black_box(&page)).expect("page")));
    g.bench_function("update: one contact", |b| {
        let mut e = tend::Engine::load_json(&text, &none, None).expect("load");
        let mut i = 0u32;
        b.iter(|| {
            i += 1;
            let c = &ids[i as usize % ids.len()];
            let u = format!(r#"{{"upsert":{{"contacts":[{{"id":"bench-{i}","customerId":"{c}","at":"2026-11-20T09:00:00Z","direction":"outbound","channel":"email"}}]}}}}"#);
            e.update_json(u.as_bytes()).expect("update")
        })
    });
    g.finish();
}

fn simulated(n: usize) -> Vec<Observation> {
    let truth = BgNbd::new(0.243, 4.414, 0.793, 2.426).expect("params");
    let ages: Vec<f64> = (0..n).map(|i| 27.0 + 12.0 * (i % 13) as f64 / 12.0).collect();
    simulate_bgnbd(&truth, &ages, 7).expect("simulated")
}

fn models(c: &mut Criterion) {
    let mut g = c.benchmark_group("buying models");
    g.sample_size(10);
    for n in [2_357usize, 100_000, 1_000_000] {
        let obs = simulated(n);
        g.bench_function(format!("BG/NBD fit, {n} customers"), |b| b.iter(|| fit_bgnbd(black_box(&obs), &FitOptions::default()).expect("fit")));
        let m = BgNbd::new(0.243, 4.414, 0.793, 2.426).expect("params");
        g.bench_function(format!("BG/NBD P(alive) + E[Y(13)], {n} customers"), |b| {
            b.iter(|| obs.iter().map(|o| m.p_alive(o).unwrap_or(0.0) + m.expected_purchases(o, 13.0).unwrap_or(0.0)).sum::<f64>())
        });
        if n <= 100_000 {
            g.bench_function(format!("Pareto/NBD fit, {n} customers"), |b| b.iter(|| fit_pareto_nbd(black_box(&obs), &FitOptions::default())));
        }
    }
    g.finish();
}

criterion_group!(benches, analysis, models);
criterion_main!(benches);
