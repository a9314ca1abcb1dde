use std::time::Instant;
fn main() {
    let n = 100_000usize;
    let mut json = String::from("{\"customers\":[");
    for i in 0..n { if i > 0 { json.push(','); } json.push_str(&format!("{{\"id\":\"C{:06}\"}}", i + 1)); }
    json.push_str("]}");
    let (store, _) = tend::engine::read_json(json.as_bytes(), &serde_json::json!({}), Some("2026-11-20T17:00:00Z")).unwrap();
    let ids: Vec<String> = (0..3_640_000u64).map(|k| format!("C{:06}", (k.wrapping_mul(2654435761) % n as u64) + 1)).collect();
    let t = Instant::now();
    let mut hits = 0usize;
    for id in &ids { if store.customer(id).is_some() { hits += 1; } }
    eprintln!("{hits} lookups in {:?}", t.elapsed());
    let t = Instant::now();
    let mut acc = 0u64;
    for id in &ids { acc ^= tend::input::ids::hash_id(id); }
    eprintln!("hash only {:?} {acc}", t.elapsed());
    let keys: Vec<u64> = (1..=n).map(|i| tend::input::ids::hash_id(&format!("C{:06}", i))).collect();
    let mut m1: tend::input::hash::IdMap<u64, u32> = Default::default();
    let mut m2: std::collections::HashMap<u64, u32> = Default::default();
    for (i, k) in keys.iter().enumerate() { m1.insert(*k, i as u32); m2.insert(*k, i as u32); }
    let hs: Vec<u64> = ids.iter().map(|s| tend::input::ids::hash_id(s)).collect();
    let t = Instant::now(); let mut a = 0u64; for h in &hs { a += *m1.get(h).unwrap_or(&0) as u64; } eprintln!("IdMap u64 {:?} {a}", t.elapsed());
    let t = Instant::now(); let mut a = 0u64; for h in &hs { a += *m2.get(h).unwrap_or(&0) as u64; } eprintln!("SipHash u64 {:?} {a}", t.elapsed());
    let d = &store.data;
    let t = Instant::now(); let mut a = 0u64; for (h, id) in hs.iter().zip(&ids) { let s = *m1.get(h).unwrap_or(&0); if d.s(d.customers[s as usize].id) == id { a += 1; } } eprintln!("IdMap + verify {:?} {a}", t.elapsed());
    let t = Instant::now(); let mut a = 0u64; for (h, id) in hs.iter().zip(&ids) { let s = *m1.get(h).unwrap_or(&0); if d.customers[s as usize].id.len() == id.len() { a += 1; } } eprintln!("IdMap + len {:?} {a}", t.elapsed());
    let spans: Vec<tend::input::strings::Str> = d.customers.iter().map(|c| c.id).collect();
    let mut compact = tend::input::strings::Strings::default();
    let spans2: Vec<tend::input::strings::Str> = d.customers.iter().map(|c| compact.add(d.s(c.id))).collect();
    let t = Instant::now(); let mut a = 0u64; for id in &ids { let h = tend::input::ids::hash_id(id); let s = *m1.get(&h).unwrap_or(&0); if d.s(spans[s as usize]) == id { a += 1; } } eprintln!("spans {:?} {a}", t.elapsed());
    let t = Instant::now(); let mut a = 0u64; for id in &ids { let h = tend::input::ids::hash_id(id); let s = *m1.get(&h).unwrap_or(&0); if compact.get(spans2[s as usize]) == id { a += 1; } } eprintln!("compact {:?} {a}", t.elapsed());
    let t = Instant::now(); let mut a = 0u64; for id in &ids { let h = tend::input::ids::hash_id(id); let s = *m1.get(&h).unwrap_or(&0); if d.s(d.customers[s as usize].id) == id { a += 1; } } eprintln!("all inline {:?} {a}", t.elapsed());
}
#[allow(dead_code)]
fn other() {}
