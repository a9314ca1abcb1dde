//! Native benchmarks (criterion): the analysis of the bundled sample, and fitting / scoring the
//! buying models on CDNOW-sized and simulated portfolios. `make bench` runs these and the
//! wasm harness (`bench/*.mjs`).

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tend::btyd::{fit_bgnbd, fit_pareto_nbd, simulate_bgnbd, BgNbd, CountModel, FitOptions, Observation};

fn sample() -> (Vec<u8>, tend::Options) {
    let text = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/www/sample/export.json")).expect("www/sample/export.json");
    let env: serde_json::Value = serde_json::from_slice(&text).expect("json");
    let opts = tend::Options::from_json(&serde_json::json!({"asOf": env["asOf"], "policy": env["policy"]})).expect("options");
    (env["data"].to_string().into_bytes(), opts)
}

fn analysis(c: &mut Criterion) {
    let (data, opts) = sample();
    let raw = tend::input::raw::RawExport::from_slice(&data).expect("raw");
    let v = tend::input::validate::validate(&raw, opts.policy.offset_secs).expect("valid");
    let mut g = c.benchmark_group("sample (300 customers)");
    g.bench_function("parse + validate + analyze + serialize", |b| {
        b.iter(|| {
            let r = tend::analyze_input(black_box(&data), &serde_json::json!({"asOf": "2026-11-20T17:00:00Z", "policy": {"holidays": ["2026-11-11"]}}), None).expect("ok");
            tend::report::to_json(&r).expect("json")
        })
    });
    g.bench_function("analyze only", |b| b.iter(|| tend::analyze_validated(black_box(&v), &opts)));
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
