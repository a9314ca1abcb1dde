//! The WebAssembly boundary: the only module that names `wasm_bindgen`, `js_sys` or `JsValue`.
//!
//! Bulk data crosses once, as JSON text: the JavaScript wrapper calls `JSON.stringify` (which
//! also turns `Date` objects into ISO strings) and the report comes back as JSON text for
//! `JSON.parse`, so the result is plain JSON data by construction. Small option objects cross
//! with serde-wasm-bindgen. Errors become a JavaScript `Error` with `code` and `path`
//! properties; the wrapper re-throws them as `TendError`.

use crate::{Error, Options};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

fn js_error(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("TendError");
    let obj: &JsValue = err.as_ref();
    // Setting a property on a fresh Error object cannot fail.
    let _ = js_sys::Reflect::set(obj, &"code".into(), &e.code().into());
    let _ = js_sys::Reflect::set(obj, &"path".into(), &e.path().into());
    err.into()
}

fn read_options(options: JsValue) -> Result<serde_json::Value, Error> {
    if options.is_undefined() || options.is_null() {
        return Ok(serde_json::Value::Null);
    }
    serde_wasm_bindgen::from_value(options).map_err(|e| Error::option("options", format!("expected a plain object: {e}")))
}

thread_local! {
    static TIMINGS: std::cell::Cell<[f64; 3]> = const { std::cell::Cell::new([0.0; 3]) };
}

/// `performance.now()` where the host has it (browsers, Node), else 0. Only the boundary reads
/// a clock, and only to measure itself.
fn now() -> f64 {
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok();
    perf.and_then(|p| {
        let f = js_sys::Reflect::get(&p, &"now".into()).ok()?;
        let f: &js_sys::Function = f.dyn_ref()?;
        f.call0(&p).ok()?.as_f64()
    })
    .unwrap_or(0.0)
}

/// Grow the wasm memory once, up front, to about what an analysis of `len` bytes of JSON needs.
/// Growing it 64 KiB at a time makes V8 collect garbage on many of the growths when the host
/// has a large heap (minutes instead of seconds for a 3M-row export).
fn reserve_memory(len: usize) {
    let mut want = len.saturating_mul(12);
    while want >= 1 << 20 {
        let mut v: Vec<u8> = Vec::new();
        if v.try_reserve_exact(want).is_ok() {
            return;
        }
        want /= 2;
    }
}

fn run(data: &[u8], options: JsValue, fallback_as_of: Option<String>) -> Result<String, Error> {
    reserve_memory(data.len());
    let options = read_options(options)?;
    let t0 = now();
    let raw = crate::input::raw::RawExport::from_slice(data)?;
    let opts = Options::resolve(&options, raw.as_of.as_ref(), raw.policy.as_ref(), fallback_as_of.as_deref())?;
    let t1 = now();
    let report = crate::analyze(&raw, &opts)?;
    drop(raw);
    let t2 = now();
    let text = crate::report::to_json(&report)?;
    TIMINGS.with(|t| t.set([t1 - t0, t2 - t1, now() - t2]));
    Ok(text)
}

/// Analyse JSON text: an export, or an envelope `{ asOf?, policy?, data }`. `options` is
/// `{ asOf?, policy? }` with `asOf` an ISO string (the wrapper converts `Date`s); it wins over
/// the envelope, and `fallbackAsOf` (the wrapper's "now") applies when neither has `asOf`.
/// Returns the report as JSON text.
#[wasm_bindgen(js_name = analyzeJson)]
pub fn analyze_json(data: &str, options: JsValue, fallback_as_of: Option<String>) -> Result<String, JsValue> {
    run(data.as_bytes(), options, fallback_as_of).map_err(|e| js_error(&e))
}

/// [`analyze_json`] over UTF-8 bytes (a file's contents), without decoding them in JavaScript.
#[wasm_bindgen(js_name = analyzeBytes)]
pub fn analyze_bytes(data: &[u8], options: JsValue, fallback_as_of: Option<String>) -> Result<String, JsValue> {
    run(data, options, fallback_as_of).map_err(|e| js_error(&e))
}

/// Timings of the last `analyzeJson` call inside wasm, in milliseconds:
/// `[parseJson, analyze, serializeJson]`.
#[wasm_bindgen(js_name = lastTimings)]
pub fn last_timings() -> Vec<f64> {
    TIMINGS.with(|t| t.get().to_vec())
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, path: &str) -> Result<T, Error> {
    serde_json::from_slice(text.as_bytes()).map_err(|e| Error::option(path, e.to_string()))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| js_error(&Error::input("output", e.to_string())))
}

/// Fit a buying model: `input` is JSON `{ summaries }` or `{ orders }`, `options` JSON
/// `{ model?, spend?, timeUnit?, asOf? }`. Returns the fit as JSON.
#[wasm_bindgen(js_name = fitBuyingModelJson)]
pub fn fit_buying_model_json(input: &str, options: &str) -> Result<String, JsValue> {
    let run = || -> Result<crate::models::FitResult, Error> {
        let input: crate::models::FitInput = from_json(input, "input")?;
        let req: crate::models::FitRequest = from_json(options, "options")?;
        crate::models::fit_buying_model(&input, &req)
    };
    to_json(&run().map_err(|e| js_error(&e))?)
}

/// `fitBuyingModel` over summary columns (one typed array per field, `monetary` NaN where
/// absent): no object crosses the boundary. `options` is JSON. Returns the fit as JSON.
#[wasm_bindgen(js_name = fitBuyingModelColumns)]
pub fn fit_buying_model_columns(frequency: &[f64], recency: &[f64], t: &[f64], monetary: &[f64], options: &str) -> Result<String, JsValue> {
    let run = || -> Result<crate::models::FitResult, Error> {
        let req: crate::models::FitRequest = from_json(options, "options")?;
        let unit_days = match &req.time_unit {
            Some(serde_json::Value::String(u)) if u == "day" => 1.0,
            Some(serde_json::Value::String(u)) if u == "month" => 365.25 / 12.0,
            Some(serde_json::Value::Number(n)) => n.as_f64().unwrap_or(7.0),
            _ => 7.0,
        };
        let sums = crate::models::summaries_from_columns(frequency, recency, t, monetary)?;
        crate::models::fit_summaries(&sums, unit_days, &req)
    };
    to_json(&run().map_err(|e| js_error(&e))?)
}

/// `scoreBuying` over summary columns. Returns `[pAlive, expectedPurchases, probNoPurchase,
/// expectedSpend, clv]` per customer, flattened (NaN where absent).
#[wasm_bindgen(js_name = scoreBuyingColumns)]
pub fn score_buying_columns(fit: &str, frequency: &[f64], recency: &[f64], t: &[f64], monetary: &[f64], options: &str) -> Result<Vec<f64>, JsValue> {
    let run = || -> Result<Vec<f64>, Error> {
        let fit: crate::models::FitResult = from_json(fit, "fit")?;
        let opts: crate::models::ScoreOptions = from_json(options, "options")?;
        let sums = crate::models::summaries_from_columns(frequency, recency, t, monetary)?;
        Ok(crate::models::score_summaries(&fit, &sums, &opts)?.into_iter().flatten().collect())
    };
    run().map_err(|e| js_error(&e))
}
