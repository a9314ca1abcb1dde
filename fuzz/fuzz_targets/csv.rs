//! Fuzz the CSV reader: the bytes split at the first 0xFF into a customers file and another
//! table's file (the first byte picks the table). Nothing may panic; counts add up; the report
//! has no non-finite number.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tend::input::records::Table;

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else { return };
    let (customers, other) = match rest.iter().position(|b| *b == 0xff) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &b""[..]),
    };
    let t = Table::ALL[1 + usize::from(pick) % 7];
    let mut tables = vec![(Table::Customers, customers)];
    if !other.is_empty() {
        tables.push((t, other));
    }
    let Ok((store, opts)) = tend::engine::read_csv(&tables, &serde_json::json!({}), Some("2026-11-20T12:00:00Z")) else { return };
    let e = tend::Engine::build(std::rc::Rc::new(store), opts);
    let r = e.report();
    for t in Table::ALL {
        let c = r.input.table(*t);
        assert_eq!(c.received, c.used + c.rejected + c.future, "{}", t.as_str());
    }
    assert_eq!(tend::finite::non_finite(&r), None);
});
