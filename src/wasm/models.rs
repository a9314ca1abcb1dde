//! The buying-model API: `fitBuyingModel` and `scoreBuying`, on summary columns (typed arrays)
//! or on orders (JSON).

use super::js_error;
use crate::Error;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The fit as a plain object (serde-wasm-bindgen, maps as objects and absent fields as `null`,
/// as `JSON.parse` of serde_json's text would give).
fn to_js(fit: &crate::models::FitResult) -> Result<JsValue, JsValue> {
    fit.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| js_error(&Error::input("output", e.to_string())))
}

fn from_json<T: serde::de::DeserializeOwned>(text: &str, path: &str) -> Result<T, Error> {
    let v = crate::input::json::parse_value(text.as_bytes(), path).map_err(|e| Error::option(path, e.into_reason()))?;
    serde_json::from_value(v).map_err(|e| Error::option(path, e.to_string()))
}

/// Fit a buying model: `input` is JSON `{ summaries }` or `{ orders }`, `options` JSON
/// `{ model?, spend?, timeUnit?, asOf? }`. Returns the fit as an object.
#[wasm_bindgen(js_name = fitBuyingModelJson)]
pub fn fit_buying_model_json(input: &str, options: &str) -> Result<JsValue, JsValue> {
    let run = || -> Result<crate::models::FitResult, Error> {
        let input: crate::models::FitInput = from_json(input, "input")?;
        let req: crate::models::FitRequest = from_json(options, "options")?;
        crate::models::fit_buying_model(&input, &req)
    };
    to_js(&run().map_err(|e| js_error(&e))?)
}

/// `fitBuyingModel` over summary columns (one typed array per field, `monetary` NaN where
/// absent): no object per customer crosses the boundary. `options` is JSON. Returns the fit as an
/// object.
#[wasm_bindgen(js_name = fitBuyingModelColumns)]
pub fn fit_buying_model_columns(frequency: &[f64], recency: &[f64], t: &[f64], monetary: &[f64], options: &str) -> Result<JsValue, JsValue> {
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
    to_js(&run().map_err(|e| js_error(&e))?)
}

/// `scoreBuying` over summary columns. Returns `[pAlive, expectedPurchases, probNoPurchase,
/// expectedSpend, clv]` per customer, flattened (NaN where absent), as one `Float64Array`.
#[wasm_bindgen(js_name = scoreBuyingColumns)]
pub fn score_buying_columns(fit: &str, frequency: &[f64], recency: &[f64], t: &[f64], monetary: &[f64], options: &str) -> Result<js_sys::Float64Array, JsValue> {
    let run = || -> Result<Vec<f64>, Error> {
        let fit: crate::models::FitResult = from_json(fit, "fit")?;
        let opts: crate::models::ScoreOptions = from_json(options, "options")?;
        let sums = crate::models::summaries_from_columns(frequency, recency, t, monetary)?;
        Ok(crate::models::score_summaries(&fit, &sums, &opts)?.into_iter().flatten().collect())
    };
    run().map(|flat| js_sys::Float64Array::from(flat.as_slice())).map_err(|e| js_error(&e))
}
