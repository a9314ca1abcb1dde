//! The native phases `make bench` reports, on one export: read (parse + validate, into the store)
//! and the analysis (Engine::build). Prints JSON `{ "readMs", "analyzeMs", "runs" }` (the medians
//! of `runs` runs) on stdout. PATH is a JSON export or a folder of one CSV per table.
//!
//!     cargo run --profile native --example phases -- bench/big.json 3
//!     cargo run --profile native --example phases -- bench/big-csv 3
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
    let csv: Vec<(tend::input::records::Table, Vec<u8>)> = if std::path::Path::new(&path).is_dir() {
        std::fs::read_dir(&path)
            .expect("read the folder")
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_lowercase();
                let t = tend::input::records::Table::parse(name.strip_suffix(".csv")?)?;
                Some((t, std::fs::read(e.path()).expect("read a CSV file")))
            })
            .collect()
    } else {
        Vec::new()
    };
    let bytes = if csv.is_empty() { std::fs::read(&path).expect("read the export") } else { Vec::new() };
    let tables: Vec<(tend::input::records::Table, &[u8])> = csv.iter().map(|(t, b)| (*t, b.as_slice())).collect();
    let (mut read, mut analyze) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let t = Instant::now();
        let none = serde_json::json!({});
        let (store, opts) = if tables.is_empty() {
            tend::engine::read_json(&bytes, &none, Some("2026-11-20T17:00:00Z"))
        } else {
            tend::engine::read_csv(&tables, &none, Some("2026-11-20T17:00:00Z"))
        }
        .expect("load");
        read.push(t.elapsed().as_secs_f64() * 1e3);
        let store = Rc::new(store);
        let t = Instant::now();
        let e = tend::Engine::build(store, opts);
        analyze.push(t.elapsed().as_secs_f64() * 1e3);
        eprintln!("bench: native run: read {:.0} ms, analyse {:.0} ms ({} actions)", read.last().unwrap(), analyze.last().unwrap(), e.summary().actions);
    }
    println!("{{\"readMs\":{:.1},\"analyzeMs\":{:.1},\"runs\":{runs}}}", median(read), median(analyze));
}
