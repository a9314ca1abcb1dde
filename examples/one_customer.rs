//! One customer holding many rows of one table (a mailer that logs into the CRM): the time of a
//! load and its analysis, natively. `make bench` runs it with 100,000 inbound contacts; no path
//! may be quadratic in one customer's rows. Prints JSON `{ "table", "rows", "ms", "flags" }`.
//!
//!     cargo run --profile native --example one_customer -- contacts 100000
use serde_json::json;
use std::time::Instant;

fn main() {
    // Tables, comma-separated: each gets `n` rows of the customer (plus a few rows of every
    // table, so that every rule has something to look at).
    let tables = std::env::args().nth(1).unwrap_or_else(|| "contacts".into());
    let n: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let day = 86_400_000i64;
    let as_of = tend::time::parse_instant("2026-11-20T17:00:00Z", 0).unwrap_or(0);
    let at = |i: usize| {
        tend::time::format_instant(as_of - 700 * day + (i as i64 * 700 * day) / n as i64, 0)
    };
    let mut data = json!({
        "customers": [{"id": "c1", "name": "Mailer", "owner": "Ann"}, {"id": "c2", "owner": "Ann"}],
        "orders": [{"id": "o-1", "customerId": "c2", "at": "2026-10-01", "amount": 5}],
        "contacts": [{"id": "k-1", "customerId": "c1", "at": "2020-01-01", "direction": "outbound", "channel": "call"}],
        "complaints": [{"id": "x-1", "customerId": "c1", "openedAt": "2026-11-01", "severity": "low"}],
        "snoozes": [{"id": "s-1", "customerId": "c1", "until": "2026-12-01", "reason": "r", "kinds": ["no_feedback"]}]
    });
    for table in tables.split(',') {
        let mut rows = Vec::with_capacity(n);
        for i in 0..n {
            let t = at(i);
            rows.push(match table {
            "contacts" => json!({"id": format!("k{i}"), "customerId": "c1", "at": t, "direction": "inbound", "channel": "email"}),
            "complaints" => json!({"id": format!("x{i}"), "customerId": "c1", "openedAt": t, "severity": "high"}),
            "promises" => json!({"id": format!("p{i}"), "customerId": "c1", "madeAt": t, "dueAt": t}),
            "snoozes" => json!({"id": format!("s{i}"), "customerId": "c1", "until": "2027-01-01", "reason": format!("r{i}")}),
            "feedback" => json!({"id": format!("f{i}"), "customerId": "c1", "at": t, "kind": "nps", "score": i % 11}),
            "deliveries" => json!({"id": format!("d{i}"), "customerId": "c1", "promisedAt": t}),
            _ => json!({"id": format!("o{i}"), "customerId": "c1", "at": t, "amount": 10}),
        });
        }
        if let Some(list) = data
            .get_mut(table)
            .and_then(serde_json::Value::as_array_mut)
        {
            list.extend(rows);
        } else {
            data[table] = serde_json::Value::Array(rows);
        }
    }
    let json = data.to_string();
    let t0 = Instant::now();
    let e = tend::Engine::load_json(
        json.as_bytes(),
        &serde_json::json!({"asOf": "2026-11-20T17:00:00Z"}),
        None,
    )
    .expect("load");
    let report = e.customer("c1");
    let ms = t0.elapsed().as_secs_f64() * 1e3;
    let flags = report.as_ref().map_or(0, |c| c.neglect.len());
    println!("{{\"table\":\"{tables}\",\"rows\":{n},\"ms\":{ms:.1},\"flags\":{flags}}}");
}
