//! A portfolio scored in buckets ([`tend::split`]) is the portfolio scored whole: every
//! customer's report, the worklist's order, the rejected rows and the summary, to the last bit,
//! at 1, 2, 4 and 16 buckets — on random exports (referrals, future rows, a fitted model) and on
//! the bundled sample.

use proptest::prelude::*;
use serde_json::{json, Value};
use std::rc::Rc;
use tend::engine::changes;
use tend::split::{self, subset, Given, TenantStats};
use tend::time::DAY_MS;
use tend::{Engine, Options};

mod common;
use common::random_export::{export, AS_OF};

/// The worklist of an engine as `(key, customer, position, item)`.
fn worklist(e: &Engine) -> Vec<(u64, String, usize, Value)> {
    let q = tend::engine::query::Query::from_json(&json!({"limit": 1000}), "q").expect("query");
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let q = tend::engine::query::Query { offset, ..q.clone() };
        let page = e.worklist(&q).expect("page");
        for item in &page.items {
            let id = item.customer_id.clone();
            let pos = out.iter().filter(|x: &&(u64, String, usize, Value)| x.1 == id).count();
            out.push((e.worklist_key(&id).expect("key"), id, pos, serde_json::to_value(item).expect("json")));
        }
        offset += page.items.len();
        if page.items.is_empty() || offset >= page.total {
            return out;
        }
    }
}

fn check_split(bytes: &[u8], as_of: &str, buckets: u32) -> Result<(), TestCaseError> {
    let whole = Engine::load_json(bytes, &json!({"asOf": as_of}), None).expect("load");
    let options: Options = whole.options().clone();
    let keys = subset::referral_keys(bytes).expect("keys");
    let then = options.as_of - 30 * DAY_MS;
    let instants = changes::instants(options.as_of);
    let stores: Vec<_> = (0..buckets).map(|b| subset::read_json(bytes, &options, b, buckets, &keys).expect("bucket")).collect();
    let facts: Vec<_> = stores.iter().flat_map(|s| split::facts(s, &options, then, &instants)).collect();
    let (stats, places) = TenantStats::compute(facts, &options, &instants);
    // Carried between tasks as text, bit for bit.
    let carried = TenantStats::from_text(&stats.to_text()).expect("stats text");
    prop_assert_eq!(&carried, &stats);
    let stats = carried;
    let mut parts = Vec::new();
    let mut items = Vec::new();
    let mut rejected = Vec::new();
    let mut seen = 0;
    let mut given_any = None;
    for store in stores {
        let ids: Vec<String> = (0..store.slots()).filter(|c| store.data.customers[*c].alive).map(|c| store.data.customer_id(c).to_owned()).collect();
        let mine = places.iter().filter(|p| ids.binary_search(&p.id).is_ok() || ids.contains(&p.id)).cloned().collect();
        let given = Given::new(stats.clone(), mine);
        let e = Engine::build_given(Rc::new(store), options.clone(), &given);
        for id in &ids {
            let got = serde_json::to_value(e.customer(id)).expect("json");
            let want = serde_json::to_value(whole.customer(id)).expect("json");
            prop_assert_eq!(got, want, "customer {} in {} buckets", id, buckets);
            seen += 1;
        }
        items.extend(worklist(&e));
        rejected.extend(e.input_report(true).rejected.iter().map(|r| serde_json::to_value(r).expect("json")));
        let part = e.part();
        let text = serde_json::to_string(&part).expect("part text");
        let carried: tend::engine::split::Part = serde_json::from_str(&text).expect("part back");
        prop_assert_eq!(&carried, &part);
        parts.push(carried);
        given_any = Some(given);
    }
    prop_assert_eq!(seen, whole.summary().customers, "every customer scored once");
    items.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    let merged: Vec<Value> = items.into_iter().map(|x| x.3).collect();
    let want: Vec<Value> = worklist(&whole).into_iter().map(|x| x.3).collect();
    prop_assert_eq!(merged, want, "worklist in {} buckets", buckets);
    let key = |v: &Value| (v["table"].as_str().unwrap_or("").to_owned(), v["index"].as_u64().unwrap_or(0));
    rejected.sort_by_key(key);
    let mut want: Vec<Value> = whole.input_report(true).rejected.iter().map(|r| serde_json::to_value(r).expect("json")).collect();
    want.sort_by_key(key);
    prop_assert_eq!(rejected, want, "rejected rows in {} buckets", buckets);
    let given = given_any.expect("a bucket");
    let summary = tend::engine::split::merge(&parts, &options, &given).expect("parts");
    prop_assert_eq!(serde_json::to_value(summary).expect("json"), serde_json::to_value(whole.summary()).expect("json"), "summary in {} buckets", buckets);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_portfolios_in_buckets_are_scored_as_whole(seed in any::<u64>(), customers in 1usize..40, rows in 0usize..300, buckets in prop::sample::select(vec![1u32, 2, 4, 16])) {
        let bytes = serde_json::to_vec(&export(seed, customers, rows)).expect("json");
        check_split(&bytes, AS_OF, buckets)?;
    }
}

#[test]
fn a_fitted_portfolio_in_buckets_is_scored_as_whole() {
    // Enough repeat buyers for the BG/NBD and Gamma-Gamma fits.
    let data = export(7, 400, 2000);
    let bytes = serde_json::to_vec(&data).expect("json");
    let whole = Engine::load_json(&bytes, &json!({"asOf": AS_OF}), None).expect("load");
    assert_eq!(whole.models().report.source, "fitted", "{:?}", whole.models().report.reason);
    for n in [1, 4, 16] {
        check_split(&bytes, AS_OF, n).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_sample_in_buckets_is_scored_as_whole() {
    let path = format!("{}/www/sample/export.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("the bundled sample");
    let as_of = serde_json::from_slice::<Value>(&bytes).ok().and_then(|v| v["asOf"].as_str().map(str::to_owned)).unwrap_or_else(|| AS_OF.to_owned());
    for n in [1, 4, 16] {
        check_split(&bytes, &as_of, n).unwrap_or_else(|e| panic!("{e}"));
    }
}
