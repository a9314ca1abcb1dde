//! Buying models for the report and the JavaScript API: fitting a BTYD model on summaries or
//! orders, scoring customers with a fit, and storing a fit so that it can be reused
//! (`options.models`).
//!
//! In `analyze()` a BG/NBD model (with Gamma-Gamma for spend) is fitted on the portfolio, in
//! weeks, when at least [`MIN_REPEAT_BUYERS`] customers have a repeat purchase day; it fills
//! `buying.pAlive`, `buying.expectedPurchases` (next 90 days) and `value.clv` (next 52 weeks,
//! discounted at 10 % a year, each purchase worth the Gamma-Gamma expected spend, or the
//! customer's mean order when no spend model is fitted). A fit that does not converge is
//! reported with its reason and not used.

use crate::btyd::{
    self, BgNbd, CountModel, Fit, FitOptions, GammaGamma, MbgNbd, Observation, ParetoNbd,
    Params, SpendObservation, Summary,
};
use crate::error::Error;
use crate::score::view::View;
use crate::time::DAY_MS;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use crate::keyed::Keyed;

mod api;
mod shared;
pub use api::*;

/// Repeat buyers needed before `analyze()` fits a model.
pub const MIN_REPEAT_BUYERS: usize = 30;
/// Horizon of `buying.expectedPurchases`, in days.
pub const EXPECTED_PURCHASES_DAYS: f64 = 90.0;
/// CLV horizon in weeks.
pub const CLV_WEEKS: u32 = 52;
/// Yearly discount rate of the CLV.
pub const CLV_YEARLY_DISCOUNT: f64 = 0.10;

/// A fitted model as reported and as accepted back in `options.models`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredFit {
    /// `bgnbd`, `mbgnbd`, `paretonbd` or `gammagamma`.
    pub model: String,
    /// Parameters by name (`r, alpha, a, b`; `r, alpha, s, beta`; `p, q, gamma`).
    pub params: Keyed<String, f64>,
    /// The log-likelihood summed over customers.
    #[serde(default)]
    pub log_likelihood: Option<f64>,
    /// Customers used.
    #[serde(default)]
    pub customers: Option<usize>,
    /// Whether the fit converged.
    #[serde(default = "yes")]
    pub converged: bool,
    /// Why it did not converge.
    #[serde(default)]
    pub message: Option<String>,
}

fn yes() -> bool {
    true
}

impl StoredFit {
    /// Read a stored fit from JSON (as `report.models` holds it), with paths in errors.
    pub fn from_value(v: &Json, path: &str) -> Result<StoredFit, Error> {
        let bad = |k: &str, what: &str| Error::option(format!("{path}.{k}"), format!("expected {what}"));
        let o = v.as_object().ok_or_else(|| Error::option(path, "expected a stored fit `{ model, params, … }`"))?;
        let model = o.get("model").and_then(Json::as_str).ok_or_else(|| bad("model", "a model name"))?.to_owned();
        let mut params = Keyed::new();
        match o.get("params") {
            Some(Json::Object(m)) => {
                for (k, x) in m {
                    params.insert(k.clone(), x.as_f64().ok_or_else(|| bad(&format!("params.{k}"), "a number"))?);
                }
            }
            _ => return Err(bad("params", "an object of numbers")),
        }
        let opt = |k: &str| o.get(k).filter(|x| !x.is_null());
        Ok(StoredFit {
            model,
            params,
            log_likelihood: match opt("logLikelihood") {
                None => None,
                Some(x) => Some(x.as_f64().ok_or_else(|| bad("logLikelihood", "a number"))?),
            },
            customers: match opt("customers") {
                None => None,
                Some(x) => Some(x.as_u64().ok_or_else(|| bad("customers", "a whole number"))? as usize),
            },
            converged: match opt("converged") {
                None => true,
                Some(x) => x.as_bool().ok_or_else(|| bad("converged", "true or false"))?,
            },
            message: match opt("message") {
                None => None,
                Some(x) => Some(x.as_str().ok_or_else(|| bad("message", "a string"))?.to_owned()),
            },
        })
    }
}

/// The `models` part of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelsReport {
    /// The purchase model, when one was fitted or given.
    pub buying: Option<StoredFit>,
    /// The spend model.
    pub spend: Option<StoredFit>,
    /// The time unit of the parameters.
    pub time_unit: &'static str,
    /// `fitted` (on this portfolio), `options` (given in `options.models`) or `none`.
    pub source: &'static str,
    /// Why no model is used, when none is.
    pub reason: Option<String>,
    /// Customers with a repeat purchase day.
    pub repeat_buyers: usize,
}

/// A purchase model ready to score.
#[derive(Debug, Clone)]
pub enum CountFit {
    /// BG/NBD.
    BgNbd(BgNbd),
    /// MBG/NBD.
    MbgNbd(MbgNbd),
    /// Pareto/NBD.
    ParetoNbd(ParetoNbd),
}

impl CountFit {
    /// As a trait object.
    pub fn model(&self) -> &dyn CountModel {
        match self {
            CountFit::BgNbd(m) => m,
            CountFit::MbgNbd(m) => m,
            CountFit::ParetoNbd(m) => m,
        }
    }
}

fn kind_name(p: &Params) -> &'static str {
    match p {
        Params::BgNbd(_) => "bgnbd",
        Params::MbgNbd(_) => "mbgnbd",
        Params::ParetoNbd(_) => "paretonbd",
        Params::GammaGamma(_) => "gammagamma",
    }
}

fn params_map(p: &Params) -> Keyed<String, f64> {
    let v: Vec<(&str, f64)> = match p {
        Params::BgNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("a", m.a), ("b", m.b)],
        Params::MbgNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("a", m.a), ("b", m.b)],
        Params::ParetoNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("s", m.s), ("beta", m.beta)],
        Params::GammaGamma(m) => vec![("p", m.p), ("q", m.q), ("gamma", m.gamma)],
    };
    let mut m = Keyed::new();
    for (k, x) in v {
        m.insert(k.to_owned(), x);
    }
    m
}

/// A [`Fit`] as stored.
pub fn stored(f: &Fit) -> StoredFit {
    StoredFit {
        model: kind_name(&f.params).into(),
        params: params_map(&f.params),
        log_likelihood: Some(f.log_likelihood),
        customers: Some(f.customers),
        converged: f.converged,
        message: f.message.clone(),
    }
}

fn param(s: &StoredFit, name: &str, path: &str) -> Result<f64, Error> {
    s.params.get(name).copied().ok_or_else(|| Error::option(format!("{path}.params.{name}"), "is required"))
}

/// A purchase model from a stored fit.
pub fn count_model(s: &StoredFit, path: &str) -> Result<CountFit, Error> {
    let bad = |e: btyd::BtydError| Error::option(format!("{path}.params"), e.to_string());
    let p = |n: &str| param(s, n, path);
    Ok(match s.model.as_str() {
        "bgnbd" => CountFit::BgNbd(BgNbd::new(p("r")?, p("alpha")?, p("a")?, p("b")?).map_err(bad)?),
        "mbgnbd" => CountFit::MbgNbd(MbgNbd::new(p("r")?, p("alpha")?, p("a")?, p("b")?).map_err(bad)?),
        "paretonbd" => CountFit::ParetoNbd(ParetoNbd::new(p("r")?, p("alpha")?, p("s")?, p("beta")?).map_err(bad)?),
        other => {
            return Err(Error::option(
                format!("{path}.model"),
                format!("unknown model `{other}`, expected bgnbd, mbgnbd or paretonbd"),
            ))
        }
    })
}

/// A spend model from a stored fit.
pub fn spend_model(s: &StoredFit, path: &str) -> Result<GammaGamma, Error> {
    if s.model != "gammagamma" {
        return Err(Error::option(format!("{path}.model"), format!("unknown spend model `{}`, expected gammagamma", s.model)));
    }
    GammaGamma::new(param(s, "p", path)?, param(s, "q", path)?, param(s, "gamma", path)?)
        .map_err(|e| Error::option(format!("{path}.params"), e.to_string()))
}

/// Models given in `options.models` (`{ buying, spend? }`, as `report.models` holds them), or
/// `false`: no buying model at all.
#[derive(Debug, Clone, PartialEq)]
pub struct GivenModels {
    /// The purchase model; `None` for `models: false`.
    pub buying: Option<StoredFit>,
    /// The spend model.
    pub spend: Option<StoredFit>,
}

impl GivenModels {
    /// Read `options.models`; the time unit must be weeks (what `analyze()` uses).
    pub fn from_json(v: &Json) -> Result<Option<GivenModels>, Error> {
        if v.is_null() {
            return Ok(None);
        }
        if *v == Json::Bool(false) {
            return Ok(Some(GivenModels { buying: None, spend: None }));
        }
        let read = |k: &str| -> Result<Option<StoredFit>, Error> {
            match v.get(k).filter(|x| !x.is_null()) {
                None => Ok(None),
                Some(x) => StoredFit::from_value(x, &format!("options.models.{k}")).map(Some),
            }
        };
        if !v.is_object() {
            return Err(Error::option("options.models", "expected an object `{ buying, spend? }` (as in report.models), or false"));
        }
        if let Some(u) = v.get("timeUnit").and_then(Json::as_str) {
            if u != "week" {
                return Err(Error::option("options.models.timeUnit", format!("analyze() uses weeks, got `{u}`")));
            }
        }
        let Some(buying) = read("buying")? else {
            return Err(Error::option("options.models.buying", "is required"));
        };
        count_model(&buying, "options.models.buying")?;
        let spend = read("spend")?;
        if let Some(s) = &spend {
            spend_model(s, "options.models.spend")?;
        }
        Ok(Some(GivenModels { buying: Some(buying), spend }))
    }
}

/// What `analyze()` scores customers with.
#[derive(Debug, Clone)]
pub struct Fitted {
    count: CountFit,
    spend: Option<GammaGamma>,
    shared: shared::SharedCache,
}

impl Fitted {
    /// Whether a spend model values purchases (else each customer's mean order does).
    pub fn has_spend(&self) -> bool {
        self.spend.is_some()
    }
}

/// Per-customer predictions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// P(alive).
    pub p_alive: f64,
    /// Expected purchases in the next 90 days.
    pub expected_purchases: f64,
    /// CLV over 52 weeks.
    pub clv: Option<f64>,
}

/// A customer's summary at an instant, in weeks (`None` without an order). Purchase days are
/// local days of the policy's offset; the calibration period ends at the start of `as_of`'s
/// local day.
pub fn customer_summary(v: &View, offset_secs: i32) -> Option<Summary> {
    let d = v.d;
    let off = i64::from(offset_secs) * 1000;
    let end = ((v.as_of + off).div_euclid(DAY_MS)) as f64;
    let purchases = v.orders.iter().map(|i| &d.orders[*i as usize]).filter(|o| !o.refund).map(|o| ((o.at + off) as f64 / DAY_MS as f64, o.amount));
    btyd::summarize_one(purchases, end, 7.0)
}

/// Days from the customer's summary end (its local day of `asOf`) to the day its P(alive) falls
/// to `p` without another purchase (negative: it fell that far back), from the model's closed
/// form; `None` when it never does.
pub fn lapse_days(f: &Fitted, s: &Summary, p: f64) -> Option<f64> {
    let obs = s.observation();
    let age = f.count.model().lapse_age(&obs, p).ok()??;
    Some((age - obs.t) * 7.0)
}

/// Fit (or take) the portfolio's models.
pub fn portfolio_models(summaries: &[Option<Summary>], given: Option<&GivenModels>) -> (ModelsReport, Option<Fitted>) {
    let repeat = summaries.iter().flatten().filter(|s| s.frequency > 0).count();
    let mut report = ModelsReport { buying: None, spend: None, time_unit: "week", source: "none", reason: None, repeat_buyers: repeat };
    if let Some(g) = given {
        let Some(buying) = &g.buying else {
            report.reason = Some("no buying model: options.models is false".into());
            return (report, None);
        };
        // Checked when the options were read.
        let count = count_model(buying, "options.models.buying").ok();
        let spend = g.spend.as_ref().and_then(|s| spend_model(s, "options.models.spend").ok());
        report.buying = Some(buying.clone());
        report.spend = g.spend.clone();
        report.source = "options";
        return (report, count.map(|count| Fitted { count, spend, shared: Default::default() }));
    }
    if repeat < MIN_REPEAT_BUYERS {
        report.reason = Some(format!("too few repeat buyers to fit a model: {repeat}, at least {MIN_REPEAT_BUYERS} needed"));
        return (report, None);
    }
    let obs: Vec<Observation> = summaries.iter().flatten().map(Summary::observation).collect();
    let fit = match btyd::fit_bgnbd(&obs, &FitOptions::default()) {
        Ok(f) => f,
        Err(e) => {
            report.reason = Some(format!("the purchase model could not be fitted: {e}"));
            return (report, None);
        }
    };
    report.buying = Some(stored(&fit));
    if !fit.converged {
        report.reason = Some(format!("the purchase model did not converge: {}", fit.message.clone().unwrap_or_default()));
        return (report, None);
    }
    let Params::BgNbd(bg) = fit.params else {
        return (report, None);
    };
    report.source = "fitted";
    let spends: Vec<SpendObservation> = summaries.iter().flatten().filter_map(Summary::spend).filter(|s| s.mean_spend > 0.0).collect();
    let spend = if spends.len() >= MIN_REPEAT_BUYERS {
        match btyd::fit_gamma_gamma(&spends, &FitOptions::default()) {
            Ok(f) => {
                report.spend = Some(stored(&f));
                match f.params {
                    Params::GammaGamma(g) if f.converged => Some(g),
                    _ => None,
                }
            }
            Err(_) => None,
        }
    } else {
        None
    };
    (report, Some(Fitted { count: CountFit::BgNbd(bg), spend, shared: Default::default() }))
}

/// Predictions for one customer (`mean_order`: the customer's mean order value, used as the
/// value of a purchase when no spend model is fitted); without `full`, P(alive) only.
pub fn predict(f: &Fitted, s: &Summary, mean_order: Option<f64>, full: bool) -> Option<Prediction> {
    let m = f.count.model();
    let obs = s.observation();
    let p_alive = m.p_alive(&obs).ok()?;
    if !full {
        return Some(Prediction { p_alive, expected_purchases: 0.0, clv: None });
    }
    let weekly = (1.0 + CLV_YEARLY_DISCOUNT).powf(1.0 / 52.0) - 1.0;
    let (expected, discounted) = f.shared.get(m, obs.x, obs.t, EXPECTED_PURCHASES_DAYS / 7.0, CLV_WEEKS, weekly);
    let value = match (&f.spend, s.monetary_value) {
        (Some(g), mv) => g.expected_spend_or_mean(s.frequency, mv).ok(),
        (None, _) => mean_order,
    };
    // As btyd::customer_lifetime_value: v · P(alive) · the discounted purchases if alive.
    let clv = value.filter(|v| v.is_finite()).and_then(|v| Some(v * p_alive * discounted?));
    Some(Prediction { p_alive, expected_purchases: p_alive * expected?, clv })
}

