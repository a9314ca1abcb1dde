//! A small random export generator: customers (some referred by others), orders of a buying
//! process the models can identify, and rows of every table, with future rows now and then.

use serde_json::{json, Value};

pub const AS_OF: &str = "2026-11-20T17:00:00Z";
pub const DAY: i64 = 86_400_000;

pub fn as_of_ms() -> i64 {
    tend::time::parse_instant(AS_OF, 0).unwrap_or(0)
}

pub fn t(days_before: i64, minute: i64) -> String {
    tend::time::format_instant(as_of_ms() - days_before * DAY + minute * 60_000, 0)
}

/// A small deterministic generator of rows (the strategy draws its seed).
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    pub fn day(&mut self) -> i64 {
        // Mostly the past two years, sometimes after asOf (future rows).
        if self.below(12) == 0 {
            -(self.below(20) as i64) - 1
        } else {
            self.below(700) as i64
        }
    }
    pub fn time(&mut self) -> String {
        let d = self.day();
        let m = self.below(1440) as i64;
        t(d, m)
    }
}

pub const OWNERS: [&str; 3] = ["Alice", "Bruno", "Chen"];

pub fn customer(g: &mut Gen, id: &str, others: &[String]) -> Value {
    let mut c = json!({"id": id, "name": format!("Customer {id}"), "owner": g.pick(&OWNERS)});
    if g.below(3) == 0 {
        c["createdAt"] = json!(t(400 + g.below(400) as i64, 0));
    }
    if !others.is_empty() && g.below(3) == 0 {
        c["referredBy"] = json!(others[g.below(others.len() as u64) as usize]);
    }
    c
}

pub fn row(g: &mut Gen, table: &str, id: &str, cust: &str) -> Value {
    match table {
        "orders" => {
            let refund = g.below(15) == 0;
            let amount = (g.below(50_000) as f64) / 100.0 + 1.0;
            json!({"id": id, "customerId": cust, "at": g.time(), "amount": if refund { -amount } else { amount }, "kind": if refund { "refund" } else { "sale" }})
        }
        "contacts" => {
            let channel = g.pick(&["call", "email", "chat", "meeting"]);
            let mut r = json!({"id": id, "customerId": cust, "at": g.time(), "direction": g.pick(&["inbound", "outbound"]), "channel": channel});
            if channel == "call" {
                r["status"] = json!(g.pick(&["answered", "missed", "voicemail"]));
            }
            if g.below(2) == 0 {
                r["owner"] = json!(g.pick(&OWNERS));
            }
            r
        }
        "complaints" => {
            let d = g.day();
            let mut r = json!({"id": id, "customerId": cust, "openedAt": t(d, 0), "severity": g.pick(&["low", "medium", "high", "critical"]), "category": g.pick(&["billing", "delivery", "product"])});
            if g.below(3) > 0 {
                r["firstResponseAt"] = json!(t(d, 300));
            }
            if g.below(2) == 0 {
                r["resolvedAt"] = json!(t(d - (g.below(10) as i64), 600));
            }
            r
        }
        "promises" => {
            let d = g.day();
            let mut r = json!({"id": id, "customerId": cust, "madeAt": t(d, 0), "dueAt": t(d - (g.below(10) as i64), 60), "owner": g.pick(&OWNERS), "text": "Send the quote"});
            if g.below(2) == 0 {
                r["keptAt"] = json!(t(d - (g.below(14) as i64), 120));
            }
            r
        }
        "feedback" => {
            let kind = g.pick(&["nps", "csat", "ces"]);
            let score = match kind {
                "nps" => g.below(11),
                "csat" => 1 + g.below(5),
                _ => 1 + g.below(7),
            };
            json!({"id": id, "customerId": cust, "at": g.time(), "kind": kind, "score": score})
        }
        "deliveries" => {
            let d = g.day();
            let mut r = json!({"id": id, "customerId": cust, "promisedAt": t(d, 0)});
            if g.below(4) > 0 {
                r["deliveredAt"] = json!(t(d - (g.below(4) as i64) + 2, 30));
                if g.below(3) == 0 {
                    r["problem"] = json!(g.pick(&["late", "damaged", "missing"]));
                }
            }
            r
        }
        _ => {
            let mut r = json!({"id": id, "customerId": cust, "until": t(-(g.below(30) as i64) + 10, 0), "reason": "on holiday"});
            if g.below(2) == 0 {
                r["kinds"] = json!([g.pick(&["no_outreach", "no_feedback", "broken_promise", "unreturned_contact"])]);
            }
            r
        }
    }
}

pub const TABLES: [&str; 7] = ["orders", "contacts", "complaints", "promises", "feedback", "deliveries", "snoozes"];

pub fn export(seed: u64, customers: usize, rows: usize) -> Value {
    let mut g = Gen(seed);
    let mut ids: Vec<String> = Vec::new();
    let mut cs = Vec::new();
    for k in 0..customers {
        let id = format!("c{k}");
        cs.push(customer(&mut g, &id, &ids));
        ids.push(id);
    }
    let mut out = json!({"customers": cs});
    // Orders of a buying process the models can identify: each customer buys in a week with
    // its own chance, from its first week for its own number of weeks.
    let mut orders = Vec::new();
    for id in &ids {
        let first = 30 + g.below(70) as i64;
        // Most stop well before asOf (the dropout the models estimate), some buy on.
        let weeks = if g.below(4) == 0 { first } else { 1 + g.below(first as u64 / 2) as i64 };
        let chance = 5 + g.below(55);
        for w in 0..weeks {
            if w == 0 || g.below(100) < chance {
                let day = (first - w) * 7 - g.below(7) as i64;
                let amount = 20.0 + (g.below(30_000) as f64) / 100.0;
                orders.push(json!({"id": format!("b{}", orders.len()), "customerId": id, "at": t(day, 600), "amount": amount}));
            }
        }
    }
    for (ti, table) in TABLES.iter().enumerate() {
        let n = rows / 7 + g.below(3) as usize;
        let v: Vec<Value> = (0..n).map(|k| {
            let c = ids[g.below(ids.len() as u64) as usize].clone();
            row(&mut g, table, &format!("{}{k}", &table[..2]), &c)
        }).collect();
        let mut v = v;
        if ti == 0 && rows > 500 {
            v.truncate(10);
            v.extend(orders.iter().cloned());
        }
        // Absent tables are "not recorded": leave one out now and then.
        if !(ti == 6 && seed % 5 == 0) {
            out[*table] = Value::Array(v);
        }
    }
    out
}

