//! The WebAssembly boundary: the only module that names `wasm_bindgen`, `js_sys` or `JsValue`
//! (js-sys only in the buying-model module: the engine imports the four members of `Error` it
//! needs itself, which keeps js-sys's closure shims out of the page's module).
//!
//! Everything crosses once per call, as text or bytes: the JavaScript wrapper turns options into
//! JSON text (a bounded conversion: `Date`s become ISO strings), bulk data comes as the bytes
//! of a file (JSON or CSV) parsed inside wasm, and answers go back as JSON text for
//! `JSON.parse`, which makes them plain JSON data by construction. Errors become a JavaScript
//! `Error` with `code` and `path`; the wrapper re-throws them as `TendError`.
//!
//! * `engine`: the engine handle (`Tend` in the wrapper; `analyze()` is a load, the whole report
//!   and a free) — the module a page loads (feature `engine-api`).
//! * `models`: the buying-model API, a second module loaded on demand (feature `models-api`).

#[cfg(feature = "engine-api")]
pub mod engine;
#[cfg(feature = "models-api")]
pub mod models;

use crate::Error;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// JavaScript's `Error` (imported here, not from js-sys: the engine needs these four
    /// members only, and js-sys's bindings bring closure shims into the module).
    #[wasm_bindgen(js_name = Error)]
    type JsError;
    #[wasm_bindgen(constructor, js_class = "Error")]
    fn new(message: &str) -> JsError;
    #[wasm_bindgen(method, setter = name, js_class = "Error")]
    fn set_name(this: &JsError, v: &str);
    #[wasm_bindgen(method, setter = code, js_class = "Error")]
    fn set_code(this: &JsError, v: &str);
    #[wasm_bindgen(method, setter = path, js_class = "Error")]
    fn set_path(this: &JsError, v: &str);
}

/// An error as JavaScript sees it: an `Error` named `TendError` with `code` and `path`.
pub fn js_error(e: &Error) -> JsValue {
    let err = JsError::new(&e.to_string());
    err.set_name("TendError");
    err.set_code(e.code());
    err.set_path(e.path());
    err.into()
}

/// Options given as JSON text (`""`: none). serde_json's nesting limit bounds the work.
pub fn options(text: &str) -> Result<serde_json::Value, Error> {
    if text.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    crate::input::json::parse_value(text.as_bytes(), "options").map_err(|e| Error::option("options", e.into_reason()))
}

/// Answer as JSON text.
pub fn json<T: serde::Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| js_error(&Error::input("output", e.to_string())))
}

thread_local! {
    static TIMINGS: std::cell::Cell<[f64; 3]> = const { std::cell::Cell::new([0.0; 3]) };
}

#[wasm_bindgen]
extern "C" {
    /// The host's `performance.now()`; an error where there is no `performance`.
    #[wasm_bindgen(catch, js_namespace = performance, js_name = now)]
    fn performance_now() -> Result<f64, JsValue>;
}

/// `performance.now()` where the host has it (browsers, Node, workers), else 0. Only the
/// boundary reads a clock, and only to measure itself.
pub fn now() -> f64 {
    performance_now().unwrap_or(0.0)
}

/// Grow the wasm memory once, up front, to about what loading `len` bytes needs (the records
/// take about as much as their JSON). Growing it 64 KiB at a time makes V8 collect garbage on
/// many of the growths when the host has a large heap: minutes instead of seconds for a
/// 3-million-row export.
pub fn reserve_memory(len: usize) {
    let mut want = len.saturating_add(len / 4);
    while want >= 1 << 20 {
        let mut v: Vec<u8> = Vec::new();
        if v.try_reserve_exact(want).is_ok() {
            return;
        }
        want /= 2;
    }
}

/// Record the phases of the last call (milliseconds).
pub fn set_timings(t: [f64; 3]) {
    TIMINGS.with(|x| x.set(t));
}

/// Timings of the last `analyze*` or engine load inside wasm, in milliseconds:
/// `[read (parse + check), analyse, answer (serialise)]`.
#[wasm_bindgen(js_name = lastTimings)]
pub fn last_timings() -> Vec<f64> {
    TIMINGS.with(|t| t.get().to_vec())
}

/// The crate version.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
