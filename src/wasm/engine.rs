//! The engine handle: a portfolio loaded once into wasm memory, asked for pages, single
//! customers and updates. Each method crosses once, with JSON text in and out.

use super::{js_error, json, now, options, set_timings};
use crate::engine::query::Query;
use crate::engine::{read_csv, read_json, Engine};
use crate::input::records::Table;
use crate::time::parse_instant;
use crate::Error;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A loaded portfolio.
#[wasm_bindgen]
pub struct TendEngine {
    inner: Engine,
}

/// CSV files gathered for one load (one per table).
#[wasm_bindgen]
#[derive(Default)]
pub struct CsvSource {
    tables: Vec<(Table, Vec<u8>)>,
}

#[wasm_bindgen]
impl CsvSource {
    /// An empty set of files.
    #[wasm_bindgen(constructor)]
    pub fn new() -> CsvSource {
        CsvSource::default()
    }

    /// Add the CSV of `table` (its bytes, UTF-8).
    pub fn add(&mut self, table: &str, bytes: &[u8]) -> Result<(), JsValue> {
        let t = Table::parse(table).ok_or_else(|| {
            js_error(&Error::input(format!("csv.{table}"), format!("unknown table `{table}`, expected one of {}", Table::ALLOWED.trim_end())))
        })?;
        self.tables.push((t, bytes.to_vec()));
        Ok(())
    }
}

fn query(text: &str) -> Result<Query, Error> {
    Query::from_json(&options(text)?, "query")
}

fn built(store: crate::input::store::Store, o: crate::Options, t0: f64) -> TendEngine {
    let t1 = now();
    let inner = Engine::build(Rc::new(store), o);
    set_timings([t1 - t0, now() - t1, 0.0]);
    TendEngine { inner }
}

#[wasm_bindgen]
impl TendEngine {
    /// Load an export from JSON bytes (an export or an envelope); `options` is JSON text.
    #[wasm_bindgen(js_name = loadJson)]
    pub fn load_json(data: &[u8], options_json: &str, fallback_as_of: Option<String>) -> Result<TendEngine, JsValue> {
        let run = || -> Result<TendEngine, Error> {
            let opts = options(options_json)?;
            super::reserve_memory(data.len());
            let t0 = now();
            let (store, o) = read_json(data, &opts, fallback_as_of.as_deref())?;
            Ok(built(store, o, t0))
        };
        run().map_err(|e| js_error(&e))
    }

    /// Load one CSV file per table.
    #[wasm_bindgen(js_name = loadCsv)]
    pub fn load_csv(source: &CsvSource, options_json: &str, fallback_as_of: Option<String>) -> Result<TendEngine, JsValue> {
        let run = || -> Result<TendEngine, Error> {
            let opts = options(options_json)?;
            super::reserve_memory(source.tables.iter().map(|(_, b)| b.len()).sum());
            let t0 = now();
            let tables: Vec<(Table, &[u8])> = source.tables.iter().map(|(t, b)| (*t, b.as_slice())).collect();
            let (store, o) = read_csv(&tables, &opts, fallback_as_of.as_deref())?;
            Ok(built(store, o, t0))
        };
        run().map_err(|e| js_error(&e))
    }

    /// The summary, as JSON text.
    pub fn summary(&self) -> Result<String, JsValue> {
        json(&self.inner.summary())
    }

    /// A page of the worklist; `query` is JSON text.
    pub fn worklist(&self, query_json: &str) -> Result<String, JsValue> {
        let q = query(query_json).map_err(|e| js_error(&e))?;
        json(&self.inner.worklist(&q).map_err(|e| js_error(&e))?)
    }

    /// A page of the customers list; `query` is JSON text.
    pub fn customers(&self, query_json: &str) -> Result<String, JsValue> {
        let q = query(query_json).map_err(|e| js_error(&e))?;
        json(&self.inner.customers(&q).map_err(|e| js_error(&e))?)
    }

    /// A page of the neglect flags (by owner, then most overdue); `query` is JSON text.
    pub fn flags(&self, query_json: &str) -> Result<String, JsValue> {
        let q = query(query_json).map_err(|e| js_error(&e))?;
        json(&self.inner.flags(&q).map_err(|e| js_error(&e))?)
    }

    /// One customer's report as JSON text, or `undefined` when there is no such customer.
    pub fn customer(&self, id: &str) -> Result<Option<String>, JsValue> {
        self.inner.customer(id).map(|c| json(&c)).transpose()
    }

    /// A page of the rejected rows.
    pub fn rejected(&self, offset: usize, limit: usize) -> Result<String, JsValue> {
        json(&self.inner.rejected(offset, limit))
    }

    /// A page of the warnings.
    pub fn warnings(&self, offset: usize, limit: usize) -> Result<String, JsValue> {
        json(&self.inner.warnings_page(offset, limit))
    }

    /// Apply an update (JSON text `{ upsert?, remove? }`); returns `{ changed, rejected }`.
    pub fn update(&mut self, update_json: &str) -> Result<String, JsValue> {
        let r = self.inner.update_json(update_json.as_bytes()).map_err(|e| js_error(&e))?;
        json(&r)
    }

    /// Refit the buying model on the current records.
    pub fn refit(&mut self) {
        self.inner.refit();
    }

    /// A new engine over the same records at another instant (ISO 8601).
    pub fn at(&self, as_of: &str) -> Result<TendEngine, JsValue> {
        let off = self.inner.options().policy.offset_secs;
        let t = parse_instant(as_of, off).ok_or_else(|| {
            js_error(&Error::option("asOf", format!("expected an ISO 8601 date or date-time in 0001–9999, got {}", crate::error::quote(as_of))))
        })?;
        Ok(TendEngine { inner: self.inner.at(t) })
    }

    /// The whole report, as JSON text (identical to `analyze()`).
    pub fn report(&self) -> Result<String, JsValue> {
        let t0 = now();
        let text = crate::report::to_json(&self.inner.report()).map_err(|e| js_error(&e))?;
        set_timings([0.0, 0.0, now() - t0]);
        Ok(text)
    }

    /// One customer's records as an export (JSON text), or `undefined`.
    pub fn records(&self, id: &str) -> Result<Option<String>, JsValue> {
        self.inner.records(id).map(|v| json(&v)).transpose()
    }

    /// The records as an export, as JSON text.
    pub fn export(&self) -> Result<String, JsValue> {
        json(&self.inner.export())
    }

    /// The satisfaction drivers, as JSON text.
    pub fn drivers(&self) -> Result<String, JsValue> {
        json(&*self.inner.drivers())
    }

    /// The drivers that hit one customer, as JSON text, or `undefined` for an unknown id.
    #[wasm_bindgen(js_name = driversOf)]
    pub fn drivers_of(&self, id: &str) -> Result<Option<String>, JsValue> {
        self.inner.drivers_of(id).map(|d| json(&d)).transpose()
    }

    /// One customer's history over `weeks` weeks as JSON text, or `undefined` for an unknown id.
    pub fn history(&self, id: &str, weeks: u32) -> Result<Option<String>, JsValue> {
        self.inner.history(id, weeks).map_err(|e| js_error(&e))?.map(|h| json(&h)).transpose()
    }

    /// A page of the state changes; `query` is JSON text `{ days?, all?, offset?, limit? }`.
    pub fn changes(&self, query_json: &str) -> Result<String, JsValue> {
        let q = options(query_json).and_then(|v| crate::engine::changes::ChangesQuery::from_json(&v)).map_err(|e| js_error(&e))?;
        json(&self.inner.changes(&q))
    }

    /// The buying models in use, as `options.models` takes them (JSON text).
    pub fn models(&self) -> Result<String, JsValue> {
        let g = self.inner.given_models();
        match g.buying {
            None => Ok("false".into()),
            Some(b) => json(&serde_json::json!({ "buying": b, "spend": g.spend, "timeUnit": "week" })),
        }
    }
}
