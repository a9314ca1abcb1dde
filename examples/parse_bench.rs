use std::time::Instant;
use tend::input::records::Table;
use tend::input::row::{At, Row, Sink, Val};
struct Nop(usize);
impl Sink for Nop {
    fn row(&mut self, _t: Table, _at: At, row: &Row<'_>) { if let Val::Str(s) = row.get(0) { self.0 += s.len(); } }
    fn other(&mut self, _t: Table, _at: At, _v: &Val<'_>) {}
    fn broken(&mut self, _t: Table, _at: At, _id: Option<String>, _f: Option<&'static str>, _r: tend::Reason) {}
    fn table_end(&mut self, _t: Table) {}
    fn reset(&mut self) {}
}
fn main() {
    let p = std::env::args().nth(1).unwrap();
    let b = std::fs::read(&p).unwrap();
    if std::env::args().nth(2).as_deref() == Some("load") {
        for _ in 0..2 {
            let t = Instant::now();
            let (st, _) = tend::engine::read_json(&b, &serde_json::json!({}), Some("2026-11-20T17:00:00Z")).unwrap();
            eprintln!("read_json {:?} ({} customers)", t.elapsed(), st.slots());
        }
        return;
    }
    for _ in 0..3 {
        let t = Instant::now();
        let mut s = Nop(0);
        tend::input::json::read_export(&b, &mut s).unwrap();
        eprintln!("parse only {:?} ({})", t.elapsed(), s.0);
    }
}
