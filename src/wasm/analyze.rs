//! `analyze()` in one call: load, the whole report, and the engine dropped.

use super::{js_error, now, options, set_timings};
use crate::engine::{read_json, Engine};
use crate::Error;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

fn run(data: &[u8], opts: &str, fallback_as_of: Option<String>) -> Result<String, Error> {
    let opts = options(opts)?;
    super::reserve_memory(data.len());
    let t0 = now();
    let (store, o) = read_json(data, &opts, fallback_as_of.as_deref())?;
    let t1 = now();
    let engine = Engine::build(Rc::new(store), o);
    let report = engine.report();
    let t2 = now();
    let text = crate::report::to_json(&report)?;
    set_timings([t1 - t0, t2 - t1, now() - t2]);
    Ok(text)
}

/// Analyse JSON text: an export, or an envelope `{ asOf?, policy?, data }`. `options` is JSON
/// text `{ asOf?, policy?, models? }`; it wins over the envelope, and `fallbackAsOf` (the
/// wrapper's "now") applies when neither has `asOf`. Returns the report as JSON text.
#[wasm_bindgen(js_name = analyzeJson)]
pub fn analyze_json(data: &str, options: &str, fallback_as_of: Option<String>) -> Result<String, JsValue> {
    run(data.as_bytes(), options, fallback_as_of).map_err(|e| js_error(&e))
}

/// [`analyze_json`] over UTF-8 bytes (a file's contents), without decoding them in JavaScript.
#[wasm_bindgen(js_name = analyzeBytes)]
pub fn analyze_bytes(data: &[u8], options: &str, fallback_as_of: Option<String>) -> Result<String, JsValue> {
    run(data, options, fallback_as_of).map_err(|e| js_error(&e))
}
