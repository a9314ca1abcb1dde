//! `analyze()`: the options of an analysis, and the whole report of an engine loaded once.

use crate::engine::Engine;
use crate::error::Error;
use crate::policy::Policy;
use crate::report::Report;
use crate::time::{parse_instant, Instant};
use serde_json::Value as Json;

/// Options of an analysis: the instant of evaluation and the policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// The instant of evaluation. Rows after it are `future`; the core never reads the clock.
    pub as_of: Instant,
    /// The policy.
    pub policy: Policy,
    /// Buying models to use instead of fitting (`options.models`, as `report.models` holds them).
    pub models: Option<crate::models::GivenModels>,
}

impl Options {
    /// Options at `as_of` (ISO 8601; a plain date is 00:00 UTC) with the default policy.
    ///
    /// ```
    /// let o = tend::Options::at("2026-11-20T12:00:00Z").unwrap();
    /// assert_eq!(o.as_of, 1_795_176_000_000);
    /// assert_eq!(tend::Options::at("yesterday").unwrap_err().path(), "options.asOf");
    /// ```
    pub fn at(as_of: &str) -> Result<Options, Error> {
        Options::from_json(&serde_json::json!({ "asOf": as_of }))
    }

    /// Options from JSON `{ asOf, policy? }`. A plain-date `asOf` is read in the policy's
    /// timezone.
    pub fn from_json(v: &Json) -> Result<Options, Error> {
        Options::resolve(v, None, None, None)
    }

    /// Options from the caller's `options`, falling back to an envelope's `asOf` and `policy`
    /// (paths `data.asOf`, `data.policy`) and then to `fallback_as_of` (the JavaScript wrapper
    /// passes the current time: the core never reads the clock).
    pub fn resolve(
        options: &Json,
        envelope_as_of: Option<&Json>,
        envelope_policy: Option<&Json>,
        fallback_as_of: Option<&str>,
    ) -> Result<Options, Error> {
        let empty = serde_json::Map::new();
        let map = match options {
            Json::Object(m) => m,
            Json::Null => &empty,
            other => return Err(Error::option("options", format!("expected an object, got `{other}`"))),
        };
        for k in map.keys() {
            if !["asOf", "policy", "models"].contains(&k.as_str()) {
                return Err(Error::option(format!("options.{k}"), format!("unknown option `{k}`, expected asOf, policy or models")));
            }
        }
        let given = |k: &str| map.get(k).filter(|v| !v.is_null());
        let policy = match (given("policy"), envelope_policy.filter(|v| !v.is_null())) {
            (Some(p), _) => Policy::from_json(p, "options.policy")?,
            (None, Some(p)) => Policy::from_json(p, "data.policy")?,
            (None, None) => Policy::default(),
        };
        let fallback = fallback_as_of.map(|s| Json::String(s.to_owned()));
        let (v, path) = match (given("asOf"), envelope_as_of.filter(|v| !v.is_null()), fallback.as_ref()) {
            (Some(v), _, _) => (v, "options.asOf"),
            (None, Some(v), _) => (v, "data.asOf"),
            (None, None, Some(v)) => (v, "options.asOf"),
            (None, None, None) => return Err(Error::option("options.asOf", "is required (an ISO 8601 instant)")),
        };
        let as_of = match v {
            Json::String(s) => parse_instant(s, policy.offset_secs).ok_or_else(|| {
                Error::option(path, format!("expected an ISO 8601 date or date-time in 0001–9999, got {}", crate::error::quote(s)))
            })?,
            other => return Err(Error::option(path, format!("expected an ISO 8601 string, got `{other}`"))),
        };
        let models = match given("models") {
            Some(m) => crate::models::GivenModels::from_json(m)?,
            None => None,
        };
        Ok(Options { as_of, policy, models })
    }
}

/// Analyse JSON text that is an export or an envelope `{ asOf?, policy?, data }`, with the
/// caller's options taking precedence over the envelope's (see [`Options::resolve`]).
pub fn analyze_input(text: &[u8], options: &Json, fallback_as_of: Option<&str>) -> Result<Report, Error> {
    Ok(Engine::load_json(text, options, fallback_as_of)?.report())
}

/// Analyse an export given as JSON text.
pub fn analyze_str(data: &str, options: &Options) -> Result<Report, Error> {
    let (store, _) = crate::engine::read_json_with(data.as_bytes(), options)?;
    Ok(Engine::build(std::rc::Rc::new(store), options.clone()).report())
}
