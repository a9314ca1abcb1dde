//! The native cost of the insights on one export: the state changes and the summary that
//! holds them, a page of changes, customers' 26-week histories (the first builds the weekly
//! tier cuts). Prints JSON on stdout.
//!
//!     cargo run --profile native --example insights -- bench/big.json
use std::time::Instant;

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e5).round() / 100.0
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: insights FILE");
    let bytes = std::fs::read(&path).expect("read the export");
    let e = tend::Engine::load_json(&bytes, &serde_json::json!({}), Some("2026-11-20T17:00:00Z")).expect("load");
    drop(bytes);
    let t = Instant::now();
    let counts = e.change_counts();
    let counts_ms = ms(t);
    let t = Instant::now();
    let _ = e.summary();
    let summary_ms = ms(t);
    let q = tend::engine::changes::ChangesQuery::from_json(&serde_json::json!({ "days": 7 })).expect("query");
    let t = Instant::now();
    let page = e.changes(&q);
    let page_ms = ms(t);
    let t = Instant::now();
    let page2 = e.changes(&q);
    let page2_ms = ms(t);
    assert_eq!(page, page2);
    let all_q = tend::engine::changes::ChangesQuery::from_json(&serde_json::json!({ "days": 7, "all": true, "limit": 1 })).expect("query");
    let watched = e.changes(&all_q).total;
    let ids: Vec<String> = page.items.iter().map(|r| r.customer.id.clone()).collect();
    let all = e.customers(&tend::engine::query::Query::default()).expect("customers");
    let t = Instant::now();
    let first = e.history(&all.items[0].id, 26).expect("weeks").map_or(0, |h| h.points.len());
    let first_ms = ms(t);
    let mut times = Vec::new();
    let n = e.store().data.customers.len();
    for k in 0..200 {
        let id = e.store().data.customer_id((k * 7919) % n).to_owned();
        let t = Instant::now();
        let _ = e.history(&id, 26);
        times.push(ms(t));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{}",
        serde_json::json!({
            "changeCountsMs": counts_ms, "summaryMs": summary_ms, "changes": counts,
            "changesPageMs": page_ms, "changesPageAgainMs": page2_ms, "changesTotal": page.total, "watched": watched, "pageIds": ids.len(),
            "firstHistoryMs": first_ms, "firstHistoryPoints": first,
            "historyMedianMs": times[times.len() / 2], "historyP95Ms": times[times.len() * 95 / 100],
        })
    );
}
