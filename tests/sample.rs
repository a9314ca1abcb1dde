//! The bundled sample: the situations planted by `tools/gen-sample.mjs` (listed in
//! `www/sample/planted.json`, from the generator's own reading of SPEC) must be exactly what
//! the analysis finds — every expected flag, no other flag, the rejected rows and the counts.

use serde_json::Value;
use std::collections::BTreeSet;

fn load(name: &str) -> Value {
    let path = format!("{}/www/sample/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap()
}

fn analyse() -> (tend::Report, Value) {
    let env = load("export.json");
    let opts = tend::Options::from_json(&serde_json::json!({"asOf": env["asOf"], "policy": env["policy"]})).unwrap();
    (tend::analyze_str(&env["data"].to_string(), &opts).unwrap(), load("planted.json"))
}

type Key = (String, String, Option<String>, bool);

#[test]
fn flags_are_exactly_the_planted_ones() {
    let (r, planted) = analyse();
    let mut got: BTreeSet<Key> = BTreeSet::new();
    for c in &r.customers {
        for f in &c.neglect {
            got.insert((c.id.clone(), f.kind.as_str().into(), f.evidence.as_ref().map(|e| e.id.clone()), f.snoozed));
        }
    }
    let mut want: BTreeSet<Key> = BTreeSet::new();
    for (cid, flags) in planted["expectedFlags"].as_object().unwrap() {
        for f in flags.as_array().unwrap() {
            want.insert((
                cid.clone(),
                f["kind"].as_str().unwrap().into(),
                f["evidence"]["id"].as_str().map(String::from),
                f["snoozed"].as_bool().unwrap(),
            ));
        }
    }
    let missing: Vec<_> = want.difference(&got).collect();
    let extra: Vec<_> = got.difference(&want).collect();
    assert!(missing.is_empty() && extra.is_empty(), "missing {missing:#?}\nextra {extra:#?}");
    // Every planted kind is present in the sample.
    let kinds: BTreeSet<_> = got.iter().map(|k| k.1.clone()).collect();
    assert_eq!(kinds.len(), 8, "{kinds:?}");
}

#[test]
fn planted_negative_cases_do_not_flag() {
    let (r, planted) = analyse();
    for p in planted["planted"].as_array().unwrap() {
        if p["mustNotFlag"].as_bool() != Some(true) {
            continue;
        }
        let c = r.customers.iter().find(|c| c.id == p["customerId"].as_str().unwrap()).unwrap();
        assert!(c.neglect.iter().all(|f| f.kind.as_str() != p["kind"].as_str().unwrap()), "{}: {}", c.id, p["note"]);
    }
}

#[test]
fn rejected_rows_and_counts() {
    let (r, planted) = analyse();
    let got: BTreeSet<(String, usize, String)> = r
        .input
        .rejected
        .iter()
        .map(|x| (x.table.as_str().to_string(), x.index, x.field.unwrap_or("").to_string()))
        .collect();
    let want: BTreeSet<(String, usize, String)> = planted["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["table"].as_str().unwrap().into(), x["index"].as_u64().unwrap() as usize, x["field"].as_str().unwrap().into()))
        .collect();
    assert_eq!(got, want);
    let report = serde_json::to_value(&r.input).unwrap();
    for (table, counts) in planted["input"].as_object().unwrap() {
        assert_eq!(&report[table], counts, "{table}");
    }
}

#[test]
fn markup_in_names_is_kept_verbatim() {
    let (r, _) = analyse();
    assert!(r.customers.iter().any(|c| c.name.as_deref().is_some_and(|n| n.contains("<img src=x onerror="))));
}

/// The top of the sample's worklist is a reviewed decision (see README, "The sample's
/// worklist"): a change to the ranking must update `tests/golden/sample-worklist-top10.json`
/// and that README section together.
#[test]
fn worklist_top_ten_is_the_reviewed_one() {
    let (r, _) = analyse();
    let golden: Value = serde_json::from_str(include_str!("golden/sample-worklist-top10.json")).unwrap();
    let got: Vec<Value> = r
        .worklist
        .iter()
        .take(10)
        .map(|w| serde_json::json!({"customerId": w.customer_id, "kind": w.kind, "priority": w.priority}))
        .collect();
    assert_eq!(Value::Array(got.clone()), golden, "new top 10:\n{}", serde_json::to_string_pretty(&got).unwrap());
}

#[test]
fn lapse_dates_sit_on_the_right_side_of_the_threshold_and_move_with_it() {
    let env = load("export.json");
    let at = |threshold: f64| {
        let mut policy = env["policy"].clone();
        policy["lapseThreshold"] = threshold.into();
        let opts = tend::Options::from_json(&serde_json::json!({"asOf": env["asOf"], "policy": policy})).unwrap();
        tend::analyze_str(&env["data"].to_string(), &opts).unwrap()
    };
    let (half, high) = (at(0.5), at(0.8));
    assert!(half.models.buying.is_some(), "the sample fits a buying model");
    let as_of = half.as_of.to_string();
    let (mut ahead, mut behind) = (0, 0);
    for (c, h) in half.customers.iter().zip(&high.customers) {
        let b = &c.buying;
        let Some(p) = b.p_alive else { continue };
        let (lapse, since) = (b.lapse_at.as_ref().map(|s| s.to_string()), b.lapsed_since.as_ref().map(|s| s.to_string()));
        assert!(lapse.is_none() || since.is_none(), "{}: one of the two", c.id);
        if p < 0.5 {
            // Below the threshold: lapsed since a day no later than asOf (to the day: P(alive) is rounded).
            let since = since.unwrap_or_else(|| panic!("{}: P(alive) {p} and no lapsedSince", c.id));
            assert!(since[..10] <= as_of[..10], "{}: lapsed since {since}", c.id);
            behind += 1;
        } else if let Some(l) = lapse {
            assert!(l[..10] >= as_of[..10], "{}: lapses at {l}", c.id);
            // A higher threshold is reached sooner (or already).
            let sooner = h.buying.lapse_at.as_ref().map(|s| s.to_string());
            assert!(sooner.as_ref().is_none_or(|s| s <= &l) , "{}: {sooner:?} after {l}", c.id);
            ahead += 1;
        } else {
            assert!(since.is_none());
        }
    }
    assert!(ahead > 10 && behind >= 5, "both sides in the sample: {ahead} ahead, {behind} behind");
}
