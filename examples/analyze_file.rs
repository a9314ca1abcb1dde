//! Analyse an export file natively and print the time of each phase.
//!
//! `cargo run --release --example analyze_file -- www/sample/export.json [--as-of DATE]`
//! The file may be a bare export or an envelope `{ asOf?, policy?, data }`.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: analyze_file FILE [--as-of DATE]");
        std::process::exit(2);
    };
    let as_of_arg = args.iter().position(|a| a == "--as-of").and_then(|i| args.get(i + 1)).cloned();
    let t0 = Instant::now();
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    let t_read = t0.elapsed();
    // An envelope has a `data` key; parse only its small fields separately.
    let t1 = Instant::now();
    let env: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let (data, as_of, policy) = match env.get("data") {
        Some(d) => (d.to_string(), env.get("asOf").cloned(), env.get("policy").cloned()),
        None => (text.clone(), None, None),
    };
    drop(env);
    let as_of = as_of_arg.map(serde_json::Value::String).or(as_of).unwrap_or_else(|| "2026-11-20T17:00:00Z".into());
    let opts = tend::Options::from_json(&serde_json::json!({"asOf": as_of, "policy": policy})).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let t_env = t1.elapsed();
    let t2 = Instant::now();
    let raw = tend::input::raw::RawExport::from_json(&data).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let t_parse = t2.elapsed();
    let t3 = Instant::now();
    let v = tend::input::validate::validate(&raw, opts.policy.offset_secs).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let t_validate = t3.elapsed();
    let t4 = Instant::now();
    let report = tend::analyze_validated(&v, &opts);
    let t_analyze = t4.elapsed();
    let t5 = Instant::now();
    let json = tend::report::to_json(&report).unwrap_or_default();
    let t_ser = t5.elapsed();
    let flags: usize = report.customers.iter().map(|c| c.neglect.len()).sum();
    // Cost split: one point-in-time scoring (what the 30-day trend repeats), and the uplifts
    // (one health re-score per open flag and state action).
    let t6 = Instant::now();
    let snap = tend::input::snapshot::Snapshot::new(&v.data, opts.as_of);
    let cal = opts.policy.calendar();
    let values = tend::score::value::compute(&snap, &opts.policy);
    let mut n_flags = 0usize;
    for (c, value) in values.iter().enumerate() {
        let s = tend::score::satisfaction::compute(&snap, &opts.policy, c);
        let b = tend::score::buying::compute(&snap, opts.policy.offset_secs, |t| cal.day(t), c);
        let f = tend::score::neglect::detect(&snap, &opts.policy, &cal, c, value.tier);
        n_flags += f.len();
        let inputs = tend::score::health::Inputs { satisfaction: &s, buying: &b, flags: &f };
        std::hint::black_box(tend::score::health::compute(&inputs, &opts.policy, None, None));
    }
    let t_point = t6.elapsed();
    let t7 = Instant::now();
    let mut rescored = 0usize;
    for c in &report.customers {
        let inputs = tend::score::health::Inputs { satisfaction: &c.satisfaction, buying: &c.buying, flags: &c.neglect };
        for i in 0..c.neglect.len() {
            std::hint::black_box(tend::score::health::compute(&inputs, &opts.policy, Some(i), None));
            rescored += 1;
        }
    }
    let t_uplift = t7.elapsed();
    eprintln!(
        "cost split: one point-in-time scoring (without models) {t_point:?} ({n_flags} flags); {rescored} uplift re-scores {t_uplift:?}; whole analysis {t_analyze:?}"
    );
    println!(
        "customers {} flags {} report {:.1} MB | read {:?} envelope {:?} parse {:?} validate {:?} analyze {:?} serialize {:?}",
        report.customers.len(),
        flags,
        json.len() as f64 / 1e6,
        t_read,
        t_env,
        t_parse,
        t_validate,
        t_analyze,
        t_ser
    );
}
