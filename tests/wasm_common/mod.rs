//! Checks shared by the wasm-bindgen-test suites (`wasm_node.rs`, `wasm_browser.rs`): the core
//! compiled to wasm32 gives the same answers as natively, turns every bad input into an error
//! value (a trap would kill the module), and its report is plain JSON for the JavaScript side.

use js_sys::{Reflect, JSON};
use serde_json::{json, Value};
use tend::{analyze_str, Options};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

pub const AS_OF: &str = "2026-11-26T09:30:00Z";

pub fn export() -> Value {
    json!({
        "customers": [
            {"id": "c1", "name": "Acme <b>Ltd</b>", "owner": "Alice"},
            {"id": 2, "name": "Beta", "owner": "Bob", "createdAt": "2025-01-02"}
        ],
        "contacts": [
            {"id": "k1", "customerId": "c1", "at": "2026-11-19T09:30:00Z",
             "direction": "inbound", "channel": "call", "status": "missed"},
            {"id": "k2", "customerId": 2, "at": "2026-11-24T10:00:00+01:00",
             "direction": "outbound", "channel": "email"}
        ],
        "orders": [
            {"id": "o1", "customerId": "c1", "at": "2026-10-01", "amount": 120.5},
            {"id": "o2", "customerId": "nobody", "at": "2026-10-01", "amount": 3},
            {"id": "o3", "customerId": 2, "at": "2027-01-01", "amount": 10}
        ],
        "feedback": [{"id": "f1", "customerId": 2, "at": "2026-11-02", "kind": "nps", "score": 4}]
    })
}

fn report_value(data: &str, opts: &Options) -> Value {
    let report = analyze_str(data, opts).expect("analysis");
    let text = tend::report::to_json(&report).expect("json");
    serde_json::from_str(&text).expect("report text is JSON")
}

#[wasm_bindgen_test]
fn flags_like_natively() {
    let r = report_value(&export().to_string(), &Options::at(AS_OF).unwrap());
    let c1 = r["customers"].as_array().unwrap().iter().find(|c| c["id"] == "c1").unwrap();
    let flag = c1["neglect"].as_array().unwrap().iter().find(|f| f["kind"] == "unreturned_contact").unwrap();
    assert_eq!(flag["overdue"], json!(4.0));
    assert_eq!(flag["evidence"], json!({"table": "contacts", "id": "k1"}));
    assert_eq!(flag["message"], "Return the missed call of Thu 19 Nov — 4 business days overdue");
    assert_eq!(r["asOf"], "2026-11-26T09:30:00+00:00");
}

#[wasm_bindgen_test]
fn input_counts_add_up() {
    let r = report_value(&export().to_string(), &Options::at(AS_OF).unwrap());
    let orders = &r["input"]["orders"];
    assert_eq!(orders, &json!({"received": 3, "used": 1, "rejected": 1, "future": 1}));
    let rej = &r["input"]["rejected"][0];
    assert_eq!(rej["table"], "orders");
    assert_eq!(rej["index"], 1);
    assert_eq!(rej["field"], "customerId");
    assert!(rej["reason"].as_str().unwrap().contains("`nobody`"));
    for t in ["customers", "orders", "contacts", "complaints", "promises", "feedback", "deliveries", "snoozes"] {
        let c = &r["input"][t];
        let sum = c["used"].as_u64().unwrap() + c["rejected"].as_u64().unwrap() + c["future"].as_u64().unwrap();
        assert_eq!(c["received"].as_u64().unwrap(), sum, "table {t}");
    }
}

#[wasm_bindgen_test]
fn report_is_plain_json_for_javascript() {
    let report = analyze_str(&export().to_string(), &Options::at(AS_OF).unwrap()).unwrap();
    let text = tend::report::to_json(&report).unwrap();
    let parsed = JSON::parse(&text).expect("JSON.parse accepts the report");
    let again = JSON::stringify(&parsed).unwrap().as_string().unwrap();
    let a = numbers_as_f64(serde_json::from_str(&text).unwrap());
    let b = numbers_as_f64(serde_json::from_str(&again).unwrap());
    assert_eq!(a, b, "JSON.stringify(JSON.parse(report)) loses nothing");
    let customers = Reflect::get(&parsed, &"customers".into()).unwrap();
    assert!(js_sys::Array::is_array(&customers));
    assert_eq!(js_sys::Array::from(&customers).length(), 2);
}

/// JavaScript has one number type: `40.0` and `40` are the same value.
fn numbers_as_f64(v: Value) -> Value {
    match v {
        Value::Number(n) => json!(n.as_f64().unwrap()),
        Value::Array(a) => Value::Array(a.into_iter().map(numbers_as_f64).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, numbers_as_f64(v))).collect()),
        other => other,
    }
}

#[wasm_bindgen_test]
fn deterministic() {
    let data = export().to_string();
    let o = Options::at(AS_OF).unwrap();
    let a = tend::report::to_json(&analyze_str(&data, &o).unwrap()).unwrap();
    let b = tend::report::to_json(&analyze_str(&data, &o).unwrap()).unwrap();
    assert_eq!(a, b);
}

#[wasm_bindgen_test]
fn options_from_a_javascript_object() {
    // What the boundary does with `options`: serde-wasm-bindgen into serde_json, then the core.
    let js = JSON::parse(r#"{"asOf": "2026-11-26", "policy": {"timezone": "+01:00", "holidays": ["2026-11-25"], "returnContactWithin": 2}}"#).unwrap();
    let value: Value = serde_wasm_bindgen::from_value(js).expect("plain object");
    let o = Options::from_json(&value).expect("valid options");
    let r = report_value(&export().to_string(), &o);
    assert_eq!(r["policy"]["timezone"], "+01:00");
    assert_eq!(r["policy"]["holidays"], json!(["2026-11-25"]));
    assert_eq!(r["policy"]["returnContactWithin"], 2);
}

#[wasm_bindgen_test]
fn errors_carry_code_and_path() {
    let o = Options::at(AS_OF).unwrap();
    let e = analyze_str("[1, 2]", &o).unwrap_err();
    assert_eq!(e.code(), "invalid_input");
    let e = analyze_str("{\"orders\": []}", &o).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_input", "data.customers"));
    let e = analyze_str("{\"customers\": 5}", &o).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_input", "data.customers"));
    let e = Options::at("yesterday").unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_option", "options.asOf"));
    let e = Options::from_json(&json!({"asOf": AS_OF, "policy": {"timezone": "Europe/Paris"}})).unwrap_err();
    assert_eq!((e.code(), e.path()), ("invalid_policy", "options.policy.timezone"));
    // The message is lowercase and quotes the value.
    assert!(e.to_string().contains("Europe/Paris"), "{e}");
}

#[wasm_bindgen_test]
fn hostile_input_is_an_error_not_a_trap() {
    let o = Options::at(AS_OF).unwrap();
    let deep = "[".repeat(100_000);
    for bad in ["", "{", "null", "\"x\"", "{\"customers\": [", &deep, "{\"customers\": [{\"id\": 1e999}]}"] {
        let _ = analyze_str(bad, &o); // Ok or Err, never a panic (a panic aborts the module)
    }
    let nested = format!("{{\"customers\": [{{\"id\": \"x\", \"name\": {}1{}}}]}}", "[".repeat(5000), "]".repeat(5000));
    let _ = analyze_str(&nested, &o);
    let r = analyze_str(r#"{"customers": [{"id": ""}, {"id": null}, {"id": {}}, 7, null], "orders": [{"id": "o", "customerId": "x", "at": "2026-02-30", "amount": "NaN"}]}"#, &o)
        .expect("bad rows are rejected, not fatal");
    assert!(r.customers.is_empty());
    assert_eq!(r.input.customers.rejected, 5);
}

#[wasm_bindgen_test]
fn a_few_thousand_customers() {
    let mut customers = Vec::new();
    let mut contacts = Vec::new();
    for i in 0..3000 {
        let owner = ["Alice", "Bob", "Chen"][i % 3];
        customers.push(json!({"id": format!("c{i}"), "owner": owner}));
        contacts.push(json!({"id": format!("k{i}"), "customerId": format!("c{i}"), "at": "2026-11-16T08:00:00Z",
                             "direction": "inbound", "channel": "email"}));
    }
    let data = json!({"customers": customers, "contacts": contacts}).to_string();
    let r = analyze_str(&data, &Options::at(AS_OF).unwrap()).unwrap();
    assert_eq!(r.customers.len(), 3000);
    assert!(r.customers.iter().all(|c| c.neglect.iter().any(|f| f.kind.as_str() == "unreturned_contact")));
}

/// The current instant as the JavaScript wrapper passes it (`new Date().toISOString()`).
pub fn js_now() -> String {
    js_sys::Date::new_0().to_iso_string().as_string().unwrap()
}

#[wasm_bindgen_test]
fn now_from_javascript_is_accepted() {
    let now = js_now();
    let o = Options::at(&now).expect("toISOString() output is accepted");
    let r = report_value(&export().to_string(), &o);
    // The order dated 2027-01-01 is in the future until then.
    assert!(r["input"]["orders"]["received"] == 3);
    let _ = JsValue::from_str(&now);
}

// ---- the exported boundary (`tend::wasm`, what the JavaScript wrapper calls) ----

use wasm_bindgen::JsCast;

use tend::wasm::engine::{CsvSource, TendEngine};

/// `analyze()` as the wrapper does it: an engine loaded, its report, the engine dropped.
fn analyze_json(data: &str, options: &str, now: Option<String>) -> Result<String, JsValue> {
    TendEngine::load_json(data.as_bytes(), options, now)?.report()
}

fn js(v: &Value) -> String {
    v.to_string()
}

fn boundary_error(e: JsValue) -> (String, String, String) {
    let err: js_sys::Error = e.dyn_into().expect("a JavaScript Error");
    let get = |k: &str| Reflect::get(&err, &k.into()).unwrap().as_string().unwrap_or_default();
    (String::from(err.name()), get("code"), get("path"))
}

#[wasm_bindgen_test]
fn boundary_returns_report_text() {
    let text = analyze_json(&export().to_string(), &js(&json!({"asOf": AS_OF})), None).expect("report");
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["asOf"], "2026-11-26T09:30:00+00:00");
    let engine = TendEngine::load_json(export().to_string().as_bytes(), &js(&json!({"asOf": AS_OF})), None).expect("engine");
    assert_eq!(engine.report().expect("report"), text, "an engine's report is analyze()'s");
    let t = tend::wasm::last_timings();
    assert_eq!(t.len(), 3);
    assert!(t.iter().all(|x| x.is_finite() && *x >= 0.0), "{t:?}");
    assert!(!tend::wasm::version().is_empty());
}

#[wasm_bindgen_test]
fn boundary_errors_are_tend_errors() {
    let cases = [
        ("{", json!({"asOf": AS_OF}), "invalid_input", "data"),
        ("{\"orders\": []}", json!({"asOf": AS_OF}), "invalid_input", "data.customers"),
        ("{\"customers\": []}", json!({"asOf": "yesterday"}), "invalid_option", "options.asOf"),
        ("{\"customers\": []}", json!({}), "invalid_option", "options.asOf"),
        ("{\"customers\": []}", json!({"asOf": AS_OF, "polcy": {}}), "invalid_option", "options.polcy"),
        ("{\"customers\": []}", json!({"asOf": AS_OF, "policy": {"workdays": []}}), "invalid_policy", "options.policy.workdays"),
    ];
    for (data, opts, code, path) in cases {
        let e = analyze_json(data, &js(&opts), None).expect_err(data);
        assert_eq!(boundary_error(e), ("TendError".into(), code.into(), path.into()), "{data} {opts}");
    }
    // Not an object: a number as options; options that are not JSON.
    let e = analyze_json("{\"customers\": []}", "3", None).unwrap_err();
    assert_eq!(boundary_error(e).1, "invalid_option");
    let e = analyze_json("{\"customers\": []}", "{\"asOf\":", None).unwrap_err();
    assert_eq!(boundary_error(e), ("TendError".into(), "invalid_option".into(), "options".into()));
    // The module still works.
    assert!(analyze_json("{\"customers\": []}", &js(&json!({"asOf": AS_OF})), None).is_ok());
}

#[wasm_bindgen_test]
fn boundary_envelope_and_fallback_as_of() {
    let envelope = json!({"asOf": "2026-11-20T17:00:00Z", "policy": {"timezone": "+01:00"}, "data": export()}).to_string();
    let as_of = |text: String| serde_json::from_str::<Value>(&text).unwrap()["asOf"].as_str().unwrap().to_owned();
    let now = Some("2030-01-01T00:00:00Z".to_owned());
    // The envelope's asOf and policy apply; the fallback ("now") only when nothing else gives one.
    assert_eq!(as_of(analyze_json(&envelope, "", now.clone()).unwrap()), "2026-11-20T18:00:00+01:00");
    assert_eq!(as_of(analyze_json(&envelope, &js(&json!({"asOf": AS_OF})), now.clone()).unwrap()), "2026-11-26T10:30:00+01:00");
    assert_eq!(as_of(analyze_json(&export().to_string(), &js(&json!({})), now).unwrap()), "2030-01-01T00:00:00+00:00");
    let bad = json!({"asOf": "soon", "data": export()}).to_string();
    let e = analyze_json(&bad, "null", None).unwrap_err();
    assert_eq!(boundary_error(e).2, "data.asOf");
}

// ---- the engine handle ----

fn page(text: &str) -> Value {
    serde_json::from_str(text).expect("a page is JSON")
}

#[wasm_bindgen_test]
fn engine_answers_pages_customers_and_updates() {
    let opts = js(&json!({"asOf": AS_OF}));
    let mut e = TendEngine::load_json(export().to_string().as_bytes(), &opts, None).expect("load");
    let report: Value = serde_json::from_str(&e.report().unwrap()).unwrap();
    let s = page(&e.summary().unwrap());
    assert_eq!(s["customers"], json!(2));
    assert_eq!(s["portfolio"], report["portfolio"]);
    let w = page(&e.worklist("{\"limit\": 1}").unwrap());
    assert_eq!(w["total"], json!(report["worklist"].as_array().unwrap().len()));
    assert_eq!(w["items"][0], report["worklist"][0]);
    let c1: Value = serde_json::from_str(&e.customer("c1").unwrap().expect("c1")).unwrap();
    assert_eq!(&c1, report["customers"].as_array().unwrap().iter().find(|c| c["id"] == "c1").unwrap());
    assert!(e.customer("nobody").unwrap().is_none());
    let rows = page(&e.customers("{\"sort\": \"id:desc\"}").unwrap());
    assert_eq!(rows["items"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect::<Vec<_>>(), ["c1", "2"]);
    // Returning the call: the flag goes, the customer is named as changed.
    let up = json!({"upsert": {"contacts": [{"id": "r1", "customerId": "c1", "at": "2026-11-25T10:00:00Z", "direction": "outbound", "channel": "call"}]}});
    let res = page(&e.update(&up.to_string()).unwrap());
    assert_eq!(res["changed"], json!(["c1"]));
    let c1: Value = serde_json::from_str(&e.customer("c1").unwrap().unwrap()).unwrap();
    assert!(c1["neglect"].as_array().unwrap().iter().all(|f| f["kind"] != "unreturned_contact"));
    // A bad query or update is an error value, and the engine keeps working.
    let err = e.worklist("{\"limit\": -1}").unwrap_err();
    assert_eq!(boundary_error(err), ("TendError".into(), "invalid_option".into(), "query.limit".into()));
    let err = e.update("{\"upsert\": 3}").unwrap_err();
    assert_eq!(boundary_error(err).1, "invalid_input");
    assert!(e.summary().is_ok());
    let later = e.at("2026-12-26T09:30:00Z").expect("at");
    assert_eq!(page(&later.summary().unwrap())["asOf"], "2026-12-26T09:30:00+00:00");
}

#[wasm_bindgen_test]
fn engine_reads_csv_inside_wasm() {
    let mut src = CsvSource::new();
    src.add("customers", b"\xEF\xBB\xBFid,name,owner\r\nc1,\"Acme, \"\"Ltd\"\"\",Alice\r\n").unwrap();
    src.add("orders", b"id,customerId,at,amount\no1,c1,2026-10-01,12.50\no2,c1,2026-10-02,abc\n").unwrap();
    assert!(src.add("nope", b"id\n").is_err(), "an unknown table is an error");
    let e = TendEngine::load_csv(&src, &js(&json!({"asOf": AS_OF})), None).expect("load");
    let c: Value = serde_json::from_str(&e.customer("c1").unwrap().unwrap()).unwrap();
    assert_eq!(c["name"], "Acme, \"Ltd\"");
    assert_eq!(c["value"]["revenue12m"], json!(12.5));
    let r = page(&e.rejected(0, 10).unwrap());
    assert_eq!(r["items"][0]["line"], json!(3));
    assert_eq!(r["items"][0]["column"], json!(4));
    assert_eq!(r["items"][0]["field"], "amount");
}

/// Issue 12 through the boundary: the history, the changes and the drivers answer in wasm as
/// the engine does natively, and bad arguments are errors, not traps.
#[wasm_bindgen_test]
fn boundary_history_changes_and_drivers() {
    let data = export().to_string();
    let opts = js(&json!({"asOf": AS_OF}));
    let engine = TendEngine::load_json(data.as_bytes(), &opts, None).expect("engine");
    let native = tend::Engine::load_json(data.as_bytes(), &json!({"asOf": AS_OF}), None).expect("native engine");
    let h: Value = serde_json::from_str(&engine.history("c1", 6).expect("history").expect("known")).unwrap();
    assert_eq!(h, serde_json::to_value(native.history("c1", 6).unwrap().unwrap()).unwrap());
    assert!(engine.history("nobody", 6).expect("no error").is_none());
    let (name, code, path) = boundary_error(engine.history("c1", 0).unwrap_err());
    assert_eq!((name.as_str(), code.as_str(), path.as_str()), ("TendError", "invalid_option", "options.weeks"));
    let c: Value = serde_json::from_str(&engine.changes(&js(&json!({"days": 30, "all": true}))).expect("changes")).unwrap();
    let q = tend::engine::changes::ChangesQuery::from_json(&json!({"days": 30, "all": true})).unwrap();
    assert_eq!(c, serde_json::to_value(native.changes(&q)).unwrap());
    let (_, code, path) = boundary_error(engine.changes(&js(&json!({"days": 14}))).unwrap_err());
    assert_eq!((code.as_str(), path.as_str()), ("invalid_option", "changes.days"));
    let d: Value = serde_json::from_str(&engine.drivers().expect("drivers")).unwrap();
    assert_eq!(d, serde_json::to_value(&*native.drivers()).unwrap());
}
