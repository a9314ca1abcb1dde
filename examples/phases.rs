//! The native phases `make bench` reports, on one export file: read (parse + validate, into the
//! store) and the analysis (Engine::build). Prints JSON `{ "readMs", "analyzeMs", "runs" }` (the
//! medians of `runs` runs) on stdout.
//!
//!     cargo run --profile native --example phases -- bench/big.json 3
use std::rc::Rc;
use std::time::Instant;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let m = xs.len() / 2;
    if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 }
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: phases FILE [RUNS]");
    let runs: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(3).max(1);
    let bytes = std::fs::read(&path).expect("read the export");
    let (mut read, mut analyze) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let (store, opts) = tend::engine::read_json(&bytes, &serde_json::json!({}), Some("2026-11-20T17:00:00Z")).expect("load");
        read.push(t.elapsed().as_secs_f64() * 1e3);
        let store = Rc::new(store);
        let t = Instant::now();
        let e = tend::Engine::build(store, opts);
        analyze.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!("bench: native run: read {:.0} ms, analyse {:.0} ms ({} actions)", read.last().unwrap(), analyze.last().unwrap(), e.summary().actions);
    }
    println!("{{\"readMs\":{:.1},\"analyzeMs\":{:.1},\"runs\":{runs}}}", median(read), median(analyze));
}
