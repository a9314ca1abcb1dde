//! Load an export natively, print the time of each phase, and optionally the report.
//!
//! `cargo run --release --example analyze_file -- FILE [--as-of DATE] [--json]`
//! FILE is an export or an envelope `{ asOf?, policy?, data }` (JSON), or a folder of one CSV
//! file per table (`customers.csv`, `orders.csv`, …).

use std::time::Instant;
use tend::input::records::Table;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: analyze_file FILE|DIR [--as-of DATE] [--json]");
        std::process::exit(2);
    };
    let as_of = args.iter().position(|a| a == "--as-of").and_then(|i| args.get(i + 1)).cloned();
    let json = args.iter().any(|a| a == "--json");
    let options = match &as_of {
        Some(a) => serde_json::json!({ "asOf": a }),
        None => serde_json::json!({}),
    };
    let fail = |e: String| -> ! {
        eprintln!("{e}");
        std::process::exit(2)
    };
    let t0 = Instant::now();
    let engine = if std::path::Path::new(path).is_dir() {
        let mut files = Vec::new();
        for t in Table::ALL {
            let f = std::path::Path::new(path).join(format!("{}.csv", t.as_str()));
            if let Ok(bytes) = std::fs::read(&f) {
                files.push((*t, bytes));
            }
        }
        let read = t0.elapsed();
        let t1 = Instant::now();
        let tables: Vec<(Table, &[u8])> = files.iter().map(|(t, b)| (*t, b.as_slice())).collect();
        let e = tend::Engine::load_csv(&tables, &options, Some("2026-11-20T17:00:00Z")).unwrap_or_else(|e| fail(e.to_string()));
        eprintln!("read {read:?} load {:?}", t1.elapsed());
        e
    } else {
        let bytes = std::fs::read(path).unwrap_or_else(|e| fail(format!("{path}: {e}")));
        let read = t0.elapsed();
        let t1 = Instant::now();
        let (store, opts) = tend::engine::read_json(&bytes, &options, Some("2026-11-20T17:00:00Z")).unwrap_or_else(|e| fail(e.to_string()));
        let t_parse = t1.elapsed();
        drop(bytes);
        let t2 = Instant::now();
        let e = tend::Engine::build(std::rc::Rc::new(store), opts);
        eprintln!("read {read:?} parse+validate {t_parse:?} analyse {:?}", t2.elapsed());
        e
    };
    let t2 = Instant::now();
    let report = engine.report();
    let t_report = t2.elapsed();
    let text = tend::report::to_json(&report).unwrap_or_default();
    eprintln!("report {t_report:?} ({} customers, {:.1} MB of JSON)", report.customers.len(), text.len() as f64 / 1e6);
    if json {
        println!("{text}");
    }
}
