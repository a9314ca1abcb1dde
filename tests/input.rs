//! The input contract: every rejection reason, the row counts, fatal errors, and
//! determinism across host timezones.

mod common;
use common::*;
use serde_json::json;
use tend::report::Report;

fn rejection<'a>(r: &'a Report, table: &str, index: usize) -> &'a tend::input::store::Rejection {
    r.input
        .rejected
        .iter()
        .find(|x| x.table.as_str() == table && x.index == index)
        .unwrap_or_else(|| panic!("no rejection for {table}[{index}]: {:#?}", r.input.rejected))
}

fn customers() -> serde_json::Value {
    json!([{"id": "c1", "owner": "Alice"}, {"id": 42, "name": "Numeric id"}])
}

#[test]
fn each_rejection_reason() {
    let data = json!({
        "customers": [
            {"id": "c1"}, {"id": 42}, {"name": "no id"}, {"id": ""}, {"id": true}, 7, {"id": "c1"},
            {"id": "bad", "createdAt": "yesterday"}, {"id": "c9", "name": {"first": "x"}}
        ],
        "orders": [
            {"id": "o1", "customerId": "c1", "at": "2026-11-01", "amount": 10},
            {"id": "o2", "customerId": "nobody", "at": "2026-11-01", "amount": 10},
            {"id": "o3", "customerId": "c1", "at": "2026-11-01", "amount": "abc"},
            {"id": "o4", "customerId": "c1", "at": "2026-11-01", "amount": -5},
            {"id": "o5", "customerId": "c1", "at": "2026-11-01", "amount": -5, "kind": "refund"},
            {"id": "o6", "customerId": "c1", "at": "2026-11-01", "amount": 5, "kind": "refund"},
            {"id": "o1", "customerId": "c1", "at": "2026-11-02", "amount": 1},
            {"id": "o7", "customerId": "bad", "at": "2026-11-01", "amount": 1},
            {"id": "o8", "customerId": "c1", "at": "2026-11-01", "amount": 1, "kind": "gift"},
            {"id": "o9", "customerId": "c1", "at": "2026-11-01", "amount": null},
            {"id": "o10", "customerId": 42, "at": "2026-11-01", "amount": "12.50"}
        ],
        "contacts": [
            {"id": "k1", "customerId": "c1", "at": "2026-13-45", "direction": "inbound", "channel": "call"},
            {"id": "k2", "customerId": "c1", "at": "2026-11-01", "direction": "sideways", "channel": "call"},
            {"id": "k3", "customerId": "c1", "at": "2026-11-01", "direction": "inbound", "channel": "fax"},
            {"id": "k4", "customerId": "c1", "at": "2026-11-01", "direction": "inbound", "channel": "call", "status": "busy"},
            {"id": "k5", "customerId": "c1", "at": 1700000000000i64, "direction": "inbound", "channel": "call"}
        ],
        "complaints": [
            {"id": "x1", "customerId": "c1", "openedAt": "2026-11-05", "severity": "high", "resolvedAt": "2026-11-01"},
            {"id": "x2", "customerId": "c1", "openedAt": "2026-11-05", "severity": "urgent"},
            {"id": "x3", "customerId": "c1", "openedAt": "2026-11-05", "severity": "low", "firstResponseAt": "2026-11-04"}
        ],
        "promises": [
            {"id": "p1", "customerId": "c1", "madeAt": "2026-11-05", "dueAt": "2026-11-01"},
            {"id": "p2", "customerId": "c1", "madeAt": "2026-11-05"}
        ],
        "feedback": [
            {"id": "f1", "customerId": "c1", "at": "2026-11-01", "kind": "nps", "score": 11},
            {"id": "f2", "customerId": "c1", "at": "2026-11-01", "kind": "csat", "score": 0},
            {"id": "f3", "customerId": "c1", "at": "2026-11-01", "kind": "ces", "score": 4.5},
            {"id": "f4", "customerId": "c1", "at": "2026-11-01", "kind": "stars", "score": 4}
        ],
        "deliveries": [
            {"id": "d1", "customerId": "c1", "promisedAt": "2026-11-01", "problem": "lost"}
        ],
        "snoozes": [
            {"customerId": "c1", "until": "2026-12-01", "reason": "x", "kinds": ["holiday"]},
            {"customerId": "c1", "until": "2026-12-01"},
            {"customerId": "c1", "until": "2026-12-01", "reason": "x", "kinds": "broken_promise"}
        ]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    let check = |table: &str, index: usize, field: Option<&str>, code: &str, reason: &str| {
        let x = rejection(&r, table, index);
        assert_eq!(x.field, field, "{table}[{index}]");
        assert_eq!(x.code, code, "{table}[{index}]");
        assert_eq!(x.reason, reason, "{table}[{index}]");
    };
    check("customers", 2, Some("id"), "missing", "is required");
    check("customers", 3, Some("id"), "invalid_id", "expected a non-empty string or number id, got ``");
    check("customers", 4, Some("id"), "invalid_id", "expected a non-empty string or number id, got `true`");
    check("customers", 5, None, "not_an_object", "row is not an object, got `7`");
    check("customers", 6, Some("id"), "duplicate_id", "duplicate id `c1`, first seen at index 0");
    check("customers", 7, Some("createdAt"), "invalid_date", "expected an ISO 8601 date or date-time in 0001–9999, got `yesterday`");
    check("customers", 8, Some("name"), "wrong_type", "expected a string, got an object");
    check("orders", 1, Some("customerId"), "unknown_customer", "unknown customer `nobody`");
    check("orders", 2, Some("amount"), "invalid_number", "expected a finite number, got `abc`");
    check("orders", 3, Some("amount"), "invalid_amount", "negative amount `-5` is allowed only with kind `refund`");
    check("orders", 5, Some("amount"), "invalid_amount", "a refund must have an amount ≤ 0, got `5`");
    check("orders", 6, Some("id"), "duplicate_id", "duplicate id `o1`, first seen at index 0");
    check("orders", 7, Some("customerId"), "unknown_customer", "customer `bad` was rejected (see its row in `customers`)");
    check("orders", 8, Some("kind"), "invalid_value", "unknown value `gift`, expected one of sale refund");
    check("orders", 9, Some("amount"), "missing", "is required");
    check("contacts", 0, Some("at"), "invalid_date", "expected an ISO 8601 date or date-time in 0001–9999, got `2026-13-45`");
    check("contacts", 1, Some("direction"), "invalid_value", "unknown value `sideways`, expected one of inbound outbound");
    check("contacts", 2, Some("channel"), "invalid_value", "unknown value `fax`, expected one of call email chat meeting visit letter");
    check("contacts", 3, Some("status"), "invalid_value", "unknown value `busy`, expected one of answered missed voicemail");
    check("contacts", 4, Some("at"), "invalid_date", "expected an ISO 8601 date or date-time in 0001–9999, got `1700000000000`");
    check("complaints", 0, Some("resolvedAt"), "inconsistent_dates", "`2026-11-01` is before openedAt `2026-11-05`");
    check("complaints", 1, Some("severity"), "invalid_value", "unknown value `urgent`, expected one of low medium high critical");
    check("complaints", 2, Some("firstResponseAt"), "inconsistent_dates", "`2026-11-04` is before openedAt `2026-11-05`");
    check("promises", 0, Some("dueAt"), "inconsistent_dates", "`2026-11-01` is before madeAt `2026-11-05`");
    check("promises", 1, Some("dueAt"), "missing", "is required");
    check("feedback", 0, Some("score"), "out_of_range", "score `11` is out of range 0–10 for kind `nps`");
    check("feedback", 1, Some("score"), "out_of_range", "score `0` is out of range 1–5 for kind `csat`");
    check("feedback", 2, Some("score"), "out_of_range", "score `4.5` is not a whole number");
    check("feedback", 3, Some("kind"), "invalid_value", "unknown value `stars`, expected one of nps csat ces");
    check("deliveries", 0, Some("problem"), "invalid_value", "unknown value `lost`, expected one of late damaged wrong_item documentation missing");
    check("snoozes", 0, Some("kinds"), "invalid_value", "unknown value `holiday`, expected one of unreturned_contact broken_promise complaint_no_response complaint_overdue complaint_no_update no_outreach no_feedback delivery_failure");
    check("snoozes", 1, Some("reason"), "missing", "is required");
    check("snoozes", 2, Some("kinds"), "wrong_type", "expected an array of neglect kinds, got `broken_promise`");
    // The rejected rows carry their ids where readable.
    assert_eq!(rejection(&r, "orders", 2).id.as_deref(), Some("o3"));
    // Numeric ids are read as decimal strings, numeric strings as amounts; a refund is kept.
    let c42 = r.customers.iter().find(|c| c.id == "42").unwrap();
    assert_eq!(c42.value.revenue12m, 12.5);
    assert_eq!(r.input.orders.used, 3, "o1, o5 (refund), o10");
    // The rest is still scored.
    assert_eq!(r.customers.len(), 2);
}

#[test]
fn counts_always_add_up() {
    let data = json!({
        "customers": customers(),
        "orders": [
            {"id": "o1", "customerId": "c1", "at": "2026-11-01", "amount": 10},
            {"id": "o2", "customerId": "c1", "at": "2026-12-01", "amount": 10},
            {"id": "o3", "customerId": "zz", "at": "2026-11-01", "amount": 10}
        ],
        "complaints": [
            {"id": "x1", "customerId": "c1", "openedAt": "2026-11-05", "severity": "high", "resolvedAt": "2026-12-01"},
            {"id": "x2", "customerId": "c1", "openedAt": "2026-12-05", "severity": "high"}
        ],
        "snoozes": [{"customerId": "c1", "until": "2026-12-01", "reason": "r"}]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    let o = r.input.orders;
    assert_eq!((o.received, o.used, o.rejected, o.future), (3, 1, 1, 1));
    let x = r.input.complaints;
    assert_eq!((x.received, x.used, x.rejected, x.future), (2, 1, 0, 1));
    for t in tend::input::records::Table::ALL {
        let c = r.input.table(*t);
        assert_eq!(c.received, c.used + c.rejected + c.future, "{}", t.as_str());
    }
    // A complaint resolved after asOf is still open at asOf.
    let c1 = r.customers.iter().find(|c| c.id == "c1").unwrap();
    assert_eq!(c1.satisfaction.complaints.open, 1);
}

#[test]
fn a_row_marked_unreadable_by_the_host_is_one_rejected_row_in_its_place() {
    // What pkg/rows.js sends for a row whose getter threw: the marker keys (NUL-prefixed), the
    // id when readable, the field at fault.
    let data = json!({
        "customers": customers(),
        "orders": [
            {"id": "o1", "customerId": "c1", "at": "2026-11-01", "amount": 10},
            {"id": "o2", "\u{0}unreadable": "reading `amount` threw: boom", "\u{0}field": "amount"},
            {"\u{0}unreadable": "reading the row threw: no"},
            {"id": "o4", "customerId": "c1", "at": "2026-11-02", "amount": 5, "\u{0}other": 1}
        ]
    });
    let r = run(data, "2026-11-20T00:00:00Z");
    let o = r.input.orders;
    assert_eq!((o.received, o.used, o.rejected, o.future), (4, 2, 2, 0));
    let x = rejection(&r, "orders", 1);
    assert_eq!((x.code, x.id.as_deref(), x.field), ("unreadable", Some("o2"), Some("amount")));
    assert_eq!(x.reason, "could not be read: reading `amount` threw: boom");
    let y = rejection(&r, "orders", 2);
    assert_eq!((y.code, y.id.as_deref(), y.field), ("unreadable", None, None));
}

#[test]
fn the_first_1000_rejections_are_listed_and_every_one_is_counted() {
    use tend::input::store::MAX_LISTED;
    let mut orders: Vec<serde_json::Value> = (0..2500).map(|i| json!({"id": format!("o{i}"), "customerId": "c1", "at": "2026-11-01", "amount": "x"})).collect();
    orders.extend((0..500).map(|i| json!({"id": format!("u{i}"), "customerId": "nobody", "at": "2026-11-01", "amount": 1})));
    orders.push(json!({"id": "ok", "customerId": "c1", "at": "2026-11-01", "amount": 1}));
    let r = run(json!({"customers": customers(), "orders": orders}), "2026-11-20T00:00:00Z");
    assert_eq!(r.input.rejected.len(), MAX_LISTED);
    assert_eq!(r.input.rejected_omitted, 3000 - MAX_LISTED);
    assert_eq!((r.input.orders.received, r.input.orders.used, r.input.orders.rejected), (3001, 1, 3000));
    let by = serde_json::to_value(&r.input.rejected_by_code).unwrap();
    assert_eq!(by, json!({"orders": {"invalid_number": 2500, "unknown_customer": 500}}));
    // Just under the cap, all listed.
    let few: Vec<serde_json::Value> = (0..MAX_LISTED).map(|i| json!({"id": format!("o{i}"), "customerId": "c1", "at": "2026-11-01", "amount": "x"})).collect();
    let r = run(json!({"customers": customers(), "orders": few}), "2026-11-20T00:00:00Z");
    assert_eq!((r.input.rejected.len(), r.input.rejected_omitted), (MAX_LISTED, 0));
}

#[test]
fn a_policy_lists_at_most_10000_holidays() {
    let days = |n: usize| -> Vec<String> { (0..n).map(|i| tend::time::format_instant(i as i64 * 86_400_000, 0)[..10].to_owned()).collect() };
    let ok = tend::Options::from_json(&json!({"asOf": "2026-11-20T00:00:00Z", "policy": {"holidays": days(10_000)}}));
    assert!(ok.is_ok(), "{ok:?}");
    let err = tend::Options::from_json(&json!({"asOf": "2026-11-20T00:00:00Z", "policy": {"holidays": days(10_001)}})).unwrap_err();
    assert_eq!((err.code(), err.path()), ("invalid_policy", "options.policy.holidays"));
    assert!(err.to_string().contains("at most 10000 holidays"), "{err}");
}

#[test]
fn unknown_referral_is_a_warning_not_a_rejection() {
    let data = json!({"customers": [{"id": "a", "referredBy": "b"}, {"id": "b", "referredBy": "zzz"}, {"id": "c", "referredBy": "c"}]});
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(r.customers.len(), 3);
    assert_eq!(r.customers[0].referred_by.as_deref(), Some("b"));
    assert_eq!(r.input.warnings.len(), 2);
    assert_eq!(r.input.warnings[0].index, 1);
    assert_eq!(r.input.warnings[0].reason, "unknown customer `zzz`");
    assert_eq!(r.input.warnings[1].code, "self_reference");
}

#[test]
fn fatal_errors_name_the_path() {
    let o = options("2026-11-20T00:00:00Z", json!({}));
    let err = |s: &str| tend::analyze_str(s, &o).unwrap_err();
    assert_eq!(err("[]").path(), "data");
    assert_eq!(err("[]").code(), "invalid_input");
    assert_eq!(err("42").path(), "data");
    assert_eq!(err("{").path(), "data");
    assert!(err("{").to_string().contains("not valid JSON"));
    assert_eq!(err("{}").path(), "data.customers");
    assert_eq!(err(r#"{"customers": [], "orders": {}}"#).path(), "data.orders");
    assert_eq!(err(r#"{"customers": "x"}"#).path(), "data.customers");
    let opt = |v: serde_json::Value| tend::Options::from_json(&v).unwrap_err();
    assert_eq!(opt(json!({})).path(), "options.asOf");
    assert_eq!(opt(json!({"asOf": "soon"})).path(), "options.asOf");
    assert_eq!(opt(json!({"asOf": 5})).code(), "invalid_option");
    assert_eq!(opt(json!({"asof": "2026-11-20"})).path(), "options.asof");
    assert_eq!(opt(json!({"asOf": "2026-11-20", "policy": {"feedbackEvery": "often"}})).path(), "options.policy.feedbackEvery");
    assert_eq!(opt(json!({"asOf": "2026-11-20", "policy": {"feedbackEvery": "often"}})).code(), "invalid_policy");
}

#[test]
fn null_fields_and_unknown_fields_are_absent() {
    let data = json!({"customers": [{"id": "c1", "name": null, "crmColour": "blue"}], "orders": null, "unknownTable": [1]});
    let r = run(data, "2026-11-20T00:00:00Z");
    assert_eq!(r.customers[0].name, None);
    assert!(r.input.rejected.is_empty());
}

#[test]
fn date_only_as_of_is_midnight_in_the_policy_timezone() {
    let o = options("2026-11-20", json!({"timezone": "+02:00"}));
    assert_eq!(o.as_of, tend::time::parse_instant("2026-11-19T22:00:00Z", 0).unwrap());
}

#[test]
fn report_is_plain_json() {
    let data = with(base("2026-11-02T09:00:00Z"), "contacts", json!([{"id": "k", "customerId": "c1", "at": "2026-11-03", "direction": "inbound", "channel": "email"}]));
    let r = run(data, "2026-11-20T00:00:00Z");
    let text = tend::report::to_json(&r).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["customers"][0]["neglect"][0]["kind"], "unreturned_contact");
    assert_eq!(v["customers"][0]["neglect"][0]["evidence"]["table"], "contacts");
    assert_eq!(v["input"]["contacts"]["received"], 2);
    assert_eq!(v["asOf"], "2026-11-20T00:00:00+00:00");
    assert!(v["customers"][0]["value"]["clv"].is_null());
}

/// The report must not depend on the host timezone: this test re-runs itself under two `TZ`
/// values and compares what the child processes print.
#[test]
fn same_report_in_any_host_timezone() {
    if std::env::var("TEND_TZ_CHILD").is_ok() {
        let data = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/tz-export.json")).unwrap();
        let r = tend::analyze_str(&data, &options("2026-11-20", json!({"timezone": "+05:30", "holidays": ["2026-11-16"]}))).unwrap();
        println!("REPORT:{}", tend::report::to_json(&r).unwrap());
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut outputs = Vec::new();
    for tz in ["UTC", "Pacific/Kiritimati", "America/St_Johns"] {
        let out = std::process::Command::new(&exe)
            .args(["--exact", "same_report_in_any_host_timezone", "--nocapture", "--test-threads=1"])
            .env("TEND_TZ_CHILD", "1")
            .env("TZ", tz)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        let line = text
            .lines()
            .find_map(|l| l.find("REPORT:").map(|i| l[i..].to_owned()))
            .unwrap_or_else(|| panic!("child under {tz} printed no report: {text}"));
        assert!(line.len() > 1000, "a real report");
        outputs.push(line);
    }
    assert_eq!(outputs[0], outputs[1]);
    assert_eq!(outputs[0], outputs[2]);
}

#[test]
fn envelope_supplies_as_of_and_policy_unless_options_do() {
    let data = json!({"customers": [{"id": "c1"}], "contacts": [
        {"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z", "direction": "inbound", "channel": "email"}]});
    let env = json!({"asOf": "2026-11-20T09:30:01Z", "policy": {"returnContactWithin": 2}, "data": data});
    let text = env.to_string();
    // Envelope asOf and policy: due Mon 23 → no flag yet.
    let r = tend::analyze_input(text.as_bytes(), &json!({}), Some("2030-01-01")).unwrap();
    assert_eq!(r.as_of, "2026-11-20T09:30:01+00:00");
    assert_eq!(r.policy.return_contact_within, 2);
    assert!(r.customers[0].neglect.iter().all(|f| f.kind.as_str() != "unreturned_contact"));
    // Options win over the envelope.
    let r = tend::analyze_input(text.as_bytes(), &json!({"asOf": "2026-11-24T00:00:00Z", "policy": {}}), None).unwrap();
    assert_eq!(r.policy.return_contact_within, 1);
    assert!(r.customers[0].neglect.iter().any(|f| f.kind.as_str() == "unreturned_contact"));
    // A bare export uses the fallback asOf.
    let r = tend::analyze_input(data.to_string().as_bytes(), &json!(null), Some("2026-11-19T10:00:00Z")).unwrap();
    assert_eq!(r.as_of, "2026-11-19T10:00:00+00:00");
    // Errors in the envelope name it.
    let bad = json!({"asOf": "later", "data": {"customers": []}}).to_string();
    assert_eq!(tend::analyze_input(bad.as_bytes(), &json!({}), None).unwrap_err().path(), "data.asOf");
    let bad = json!({"policy": {"timezone": "CET"}, "data": {"customers": []}}).to_string();
    assert_eq!(tend::analyze_input(bad.as_bytes(), &json!({}), Some("2026-01-01")).unwrap_err().path(), "data.policy.timezone");
    let bad = json!({"data": [1]}).to_string();
    assert_eq!(tend::analyze_input(bad.as_bytes(), &json!({}), Some("2026-01-01")).unwrap_err().path(), "data.data");
    assert_eq!(tend::analyze_input(b"{\"customers\": []}", &json!({}), None).unwrap_err().path(), "options.asOf");
}
