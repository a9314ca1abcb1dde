//! Time the analysis phase alone (Engine::build over a loaded store), for profiling.
use std::time::Instant;
fn main() {
    let p = std::env::args().nth(1).expect("file");
    let runs: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let b = std::fs::read(&p).expect("read");
    let (store, opts) = tend::engine::read_json(&b, &serde_json::json!({}), Some("2026-11-20T17:00:00Z")).expect("load");
    drop(b);
    let store = std::rc::Rc::new(store);
    for _ in 0..runs {
        let t = Instant::now();
        let e = tend::Engine::build(store.clone(), opts.clone());
        eprintln!("build {:?} ({} actions)", t.elapsed(), e.summary().actions);
    }
}
