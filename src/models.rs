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
    self, customer_lifetime_value, BgNbd, CountModel, Fit, FitOptions, GammaGamma, MbgNbd, Observation, ParetoNbd,
    Params, SpendObservation, Summary, TimeUnit, Transaction,
};
use crate::error::Error;
use crate::input::snapshot::Snapshot;
use crate::time::{parse_instant, DAY_MS};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use std::collections::BTreeMap;

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
    pub params: BTreeMap<String, f64>,
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

fn params_map(p: &Params) -> BTreeMap<String, f64> {
    let v: Vec<(&str, f64)> = match p {
        Params::BgNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("a", m.a), ("b", m.b)],
        Params::MbgNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("a", m.a), ("b", m.b)],
        Params::ParetoNbd(m) => vec![("r", m.r), ("alpha", m.alpha), ("s", m.s), ("beta", m.beta)],
        Params::GammaGamma(m) => vec![("p", m.p), ("q", m.q), ("gamma", m.gamma)],
    };
    v.into_iter().map(|(k, x)| (k.to_owned(), x)).collect()
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

/// Models given in `options.models` (`{ buying, spend? }`, as `report.models` holds them).
#[derive(Debug, Clone, PartialEq)]
pub struct GivenModels {
    /// The purchase model.
    pub buying: StoredFit,
    /// The spend model.
    pub spend: Option<StoredFit>,
}

impl GivenModels {
    /// Read `options.models`; the time unit must be weeks (what `analyze()` uses).
    pub fn from_json(v: &Json) -> Result<Option<GivenModels>, Error> {
        if v.is_null() {
            return Ok(None);
        }
        let read = |k: &str| -> Result<Option<StoredFit>, Error> {
            match v.get(k).filter(|x| !x.is_null()) {
                None => Ok(None),
                Some(x) => serde_json::from_value(x.clone())
                    .map(Some)
                    .map_err(|e| Error::option(format!("options.models.{k}"), format!("expected a stored fit: {e}"))),
            }
        };
        if !v.is_object() {
            return Err(Error::option("options.models", "expected an object `{ buying, spend? }` (as in report.models)"));
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
        Ok(Some(GivenModels { buying, spend }))
    }
}

/// What `analyze()` scores customers with.
pub struct Fitted {
    count: CountFit,
    spend: Option<GammaGamma>,
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

/// Summaries of the portfolio at the snapshot, in weeks, in customer order (`None` for a
/// customer without orders). Purchase days are local days of the policy's offset.
pub fn portfolio_summaries(snap: &Snapshot, offset_secs: i32) -> Vec<Option<Summary>> {
    let d = snap.data;
    let off = i64::from(offset_secs) * 1000;
    let mut tx = Vec::new();
    for c in 0..d.customers.len() {
        for &i in snap.orders.of(c) {
            let o = &d.orders[i as usize];
            if !o.refund {
                tx.push(Transaction { customer_id: c.to_string(), at_days: (o.at + off) as f64 / DAY_MS as f64, amount: o.amount });
            }
        }
    }
    let end = ((snap.as_of + off).div_euclid(DAY_MS)) as f64;
    let mut out = vec![None; d.customers.len()];
    if let Ok(sums) = btyd::summarize(&tx, end, TimeUnit::Week) {
        for s in sums {
            if let Ok(c) = s.id.parse::<usize>() {
                if let Some(slot) = out.get_mut(c) {
                    *slot = Some(s);
                }
            }
        }
    }
    out
}

/// Fit (or take) the portfolio's models.
pub fn portfolio_models(summaries: &[Option<Summary>], given: Option<&GivenModels>) -> (ModelsReport, Option<Fitted>) {
    let repeat = summaries.iter().flatten().filter(|s| s.frequency > 0).count();
    let mut report = ModelsReport { buying: None, spend: None, time_unit: "week", source: "none", reason: None, repeat_buyers: repeat };
    if let Some(g) = given {
        // Checked when the options were read.
        let count = count_model(&g.buying, "options.models.buying").ok();
        let spend = g.spend.as_ref().and_then(|s| spend_model(s, "options.models.spend").ok());
        report.buying = Some(g.buying.clone());
        report.spend = g.spend.clone();
        report.source = "options";
        return (report, count.map(|count| Fitted { count, spend }));
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
    (report, Some(Fitted { count: CountFit::BgNbd(bg), spend }))
}

/// Predictions for one customer (`mean_order`: the customer's mean order value, used as the
/// value of a purchase when no spend model is fitted).
pub fn predict(f: &Fitted, s: &Summary, mean_order: Option<f64>) -> Option<Prediction> {
    let m = f.count.model();
    let obs = s.observation();
    let p_alive = m.p_alive(&obs).ok()?;
    let expected = m.expected_purchases(&obs, EXPECTED_PURCHASES_DAYS / 7.0).ok()?;
    let value = match (&f.spend, s.monetary_value) {
        (Some(g), mv) => g.expected_spend_or_mean(s.frequency, mv).ok(),
        (None, _) => mean_order,
    };
    let weekly = (1.0 + CLV_YEARLY_DISCOUNT).powf(1.0 / 52.0) - 1.0;
    let clv = value.and_then(|v| customer_lifetime_value(m, &obs, v, CLV_WEEKS, weekly).ok());
    Some(Prediction { p_alive, expected_purchases: expected, clv })
}

/// One summary as given to `fitBuyingModel` / `scoreBuying`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SummaryIn {
    /// The customer's id.
    pub id: Json,
    /// Repeat purchase days.
    pub frequency: f64,
    /// `t_x`.
    pub recency: f64,
    /// `T`.
    #[serde(rename = "T")]
    pub t: f64,
    /// Mean repeat spend.
    #[serde(default)]
    pub monetary_value: Option<f64>,
}

/// One order as given to `fitBuyingModel`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderIn {
    /// The customer's id.
    pub customer_id: Json,
    /// When.
    pub at: String,
    /// Amount.
    #[serde(default)]
    pub amount: Option<f64>,
}

/// The input of `fitBuyingModel`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default)]
pub struct FitInput {
    /// Summaries, or
    pub summaries: Option<Vec<SummaryIn>>,
    /// orders.
    pub orders: Option<Vec<OrderIn>>,
}

/// The options of `fitBuyingModel`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FitRequest {
    /// `bgnbd` (default), `mbgnbd` or `paretonbd`.
    pub model: Option<String>,
    /// `gammagamma` to fit the spend model too.
    pub spend: Option<String>,
    /// `day`, `week`, `month` or a number of days: required with orders.
    pub time_unit: Option<Json>,
    /// The end of the calibration period, required with orders.
    pub as_of: Option<String>,
}

/// The result of `fitBuyingModel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FitResult {
    /// The purchase model.
    pub model: String,
    /// Its parameters.
    pub params: BTreeMap<String, f64>,
    /// Log-likelihood, summed.
    pub log_likelihood: f64,
    /// Customers used.
    pub customers: usize,
    /// Converged.
    pub converged: bool,
    /// Why not.
    pub message: Option<String>,
    /// The time unit (days per unit).
    pub unit_days: f64,
    /// The spend model.
    pub spend: Option<StoredFit>,
}

fn id_text(v: &Json, path: &str) -> Result<String, Error> {
    match v {
        Json::String(s) if !s.is_empty() => Ok(s.clone()),
        Json::Number(n) => Ok(n.to_string()),
        other => Err(Error::input(path, format!("expected a non-empty string or number id, got `{other}`"))),
    }
}

fn unit(v: Option<&Json>) -> Result<TimeUnit, Error> {
    let u = match v {
        None | Some(Json::Null) => return Err(Error::option("options.timeUnit", "is required with orders (`day`, `week`, `month` or a number of days): there is no hidden default")),
        Some(Json::String(s)) if s == "day" => TimeUnit::Day,
        Some(Json::String(s)) if s == "week" => TimeUnit::Week,
        Some(Json::String(s)) if s == "month" => TimeUnit::Month,
        Some(Json::Number(n)) => TimeUnit::Days(n.as_f64().unwrap_or(f64::NAN)),
        Some(other) => return Err(Error::option("options.timeUnit", format!("expected `day`, `week`, `month` or a number of days, got `{other}`"))),
    };
    u.days().map_err(|e| Error::option("options.timeUnit", e.to_string()))?;
    Ok(u)
}

/// Summaries from `fitBuyingModel`'s input.
pub fn summaries_of(input: &FitInput, req: &FitRequest) -> Result<(Vec<Summary>, f64), Error> {
    match (&input.summaries, &input.orders) {
        (Some(rows), _) => {
            let unit_days = match &req.time_unit {
                None | Some(Json::Null) => 7.0,
                Some(_) => unit(req.time_unit.as_ref())?.days().unwrap_or(7.0),
            };
            let mut out = Vec::with_capacity(rows.len());
            for (i, r) in rows.iter().enumerate() {
                let path = format!("input.summaries[{i}]");
                let x = r.frequency;
                if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)) {
                    return Err(Error::input(format!("{path}.frequency"), format!("expected a whole number ≥ 0, got `{x}`")));
                }
                for (name, v) in [("recency", r.recency), ("T", r.t)] {
                    if !(v.is_finite() && v >= 0.0) {
                        return Err(Error::input(format!("{path}.{name}"), format!("expected a finite number ≥ 0, got `{v}`")));
                    }
                }
                if r.recency > r.t {
                    return Err(Error::input(format!("{path}.recency"), format!("recency `{}` is after T `{}`", r.recency, r.t)));
                }
                out.push(Summary {
                    id: id_text(&r.id, &format!("{path}.id"))?,
                    frequency: x as u32,
                    recency: r.recency,
                    t: r.t,
                    monetary_value: r.monetary_value.filter(|m| m.is_finite()),
                });
            }
            Ok((out, unit_days))
        }
        (None, Some(orders)) => {
            let u = unit(req.time_unit.as_ref())?;
            let as_of_text = req.as_of.as_deref().ok_or_else(|| Error::option("options.asOf", "is required with orders"))?;
            let as_of = parse_instant(as_of_text, 0)
                .ok_or_else(|| Error::option("options.asOf", format!("expected an ISO 8601 date or date-time, got `{as_of_text}`")))?;
            let mut tx = Vec::with_capacity(orders.len());
            for (i, o) in orders.iter().enumerate() {
                let path = format!("input.orders[{i}]");
                let at = parse_instant(&o.at, 0)
                    .ok_or_else(|| Error::input(format!("{path}.at"), format!("expected an ISO 8601 date or date-time, got `{}`", o.at)))?;
                if at > as_of {
                    continue;
                }
                let amount = o.amount.unwrap_or(0.0);
                if !amount.is_finite() {
                    return Err(Error::input(format!("{path}.amount"), "expected a finite number"));
                }
                tx.push(Transaction { customer_id: id_text(&o.customer_id, &format!("{path}.customerId"))?, at_days: at as f64 / DAY_MS as f64, amount });
            }
            let end = as_of.div_euclid(DAY_MS) as f64;
            let sums = btyd::summarize(&tx, end, u).map_err(|e| Error::input("input.orders", e.to_string()))?;
            Ok((sums, u.days().unwrap_or(7.0)))
        }
        (None, None) => Err(Error::input("input", "expected `{ summaries }` or `{ orders }`")),
    }
}

/// `fitBuyingModel`.
pub fn fit_buying_model(input: &FitInput, req: &FitRequest) -> Result<FitResult, Error> {
    let (sums, unit_days) = summaries_of(input, req)?;
    fit_summaries(&sums, unit_days, req)
}

/// Fit on summaries already read.
pub fn fit_summaries(sums: &[Summary], unit_days: f64, req: &FitRequest) -> Result<FitResult, Error> {
    let obs: Vec<Observation> = sums.iter().map(Summary::observation).collect();
    let opts = FitOptions::default();
    let failed = |e: btyd::BtydError| Error::FitFailed { reason: e.to_string() };
    let fit = match req.model.as_deref().unwrap_or("bgnbd") {
        "bgnbd" => btyd::fit_bgnbd(&obs, &opts),
        "mbgnbd" => btyd::fit_mbgnbd(&obs, &opts),
        "paretonbd" => btyd::fit_pareto_nbd(&obs, &opts),
        other => return Err(Error::option("options.model", format!("unknown model `{other}`, expected bgnbd, mbgnbd or paretonbd"))),
    }
    .map_err(failed)?;
    let spend = match req.spend.as_deref() {
        None => None,
        Some("gammagamma") => {
            let spends: Vec<SpendObservation> = sums.iter().filter_map(Summary::spend).collect();
            Some(stored(&btyd::fit_gamma_gamma(&spends, &opts).map_err(failed)?))
        }
        Some(other) => return Err(Error::option("options.spend", format!("unknown spend model `{other}`, expected gammagamma"))),
    };
    let s = stored(&fit);
    Ok(FitResult {
        model: s.model,
        params: s.params,
        log_likelihood: fit.log_likelihood,
        customers: fit.customers,
        converged: fit.converged,
        message: fit.message,
        unit_days,
        spend,
    })
}

/// Summaries given as columns (what the JavaScript wrapper sends: one typed array per field,
/// `monetary` NaN where absent); ids are positions.
pub fn summaries_from_columns(frequency: &[f64], recency: &[f64], t: &[f64], monetary: &[f64]) -> Result<Vec<Summary>, Error> {
    let n = frequency.len();
    for (name, len) in [("recency", recency.len()), ("T", t.len()), ("monetaryValue", monetary.len())] {
        if len != n {
            return Err(Error::input(format!("summaries.{name}"), format!("has {len} values for {n} customers")));
        }
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let path = || format!("input.summaries[{i}]");
        let x = frequency[i];
        if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0 && x <= f64::from(u32::MAX)) {
            return Err(Error::input(format!("{}.frequency", path()), format!("expected a whole number ≥ 0, got `{x}`")));
        }
        for (name, v) in [("recency", recency[i]), ("T", t[i])] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::input(format!("{}.{name}", path()), format!("expected a finite number ≥ 0, got `{v}`")));
            }
        }
        if recency[i] > t[i] {
            return Err(Error::input(format!("{}.recency", path()), format!("recency `{}` is after T `{}`", recency[i], t[i])));
        }
        out.push(Summary {
            id: String::new(),
            frequency: x as u32,
            recency: recency[i],
            t: t[i],
            monetary_value: Some(monetary[i]).filter(|m| m.is_finite()),
        });
    }
    Ok(out)
}

/// Options of `scoreBuying`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ScoreOptions {
    /// Horizon in the fit's unit (whole periods for the CLV).
    pub horizon: Option<f64>,
    /// Discount rate per period for the CLV.
    pub discount_rate: Option<f64>,
}

/// One customer scored by `scoreBuying`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Scored {
    /// The customer's id.
    pub id: String,
    /// P(alive).
    pub p_alive: f64,
    /// Expected purchases in the horizon.
    pub expected_purchases: f64,
    /// Probability of no purchase in the horizon.
    pub prob_no_purchase: f64,
    /// Expected spend per purchase (with a spend model).
    pub expected_spend: Option<f64>,
    /// CLV over the horizon (with a spend model).
    pub clv: Option<f64>,
}

/// `scoreBuying`.
pub fn score_buying(fit: &FitResult, summaries: &[SummaryIn], opts: &ScoreOptions) -> Result<Vec<Scored>, Error> {
    let (sums, _) = summaries_of(&FitInput { summaries: Some(summaries.to_vec()), orders: None }, &FitRequest::default())?;
    let rows = score_summaries(fit, &sums, opts)?;
    Ok(sums
        .into_iter()
        .zip(rows)
        .map(|(s, r)| Scored {
            id: s.id,
            p_alive: r[0],
            expected_purchases: r[1],
            prob_no_purchase: r[2],
            expected_spend: Some(r[3]).filter(|v| v.is_finite()),
            clv: Some(r[4]).filter(|v| v.is_finite()),
        })
        .collect())
}

/// Score summaries: per customer `[pAlive, expectedPurchases, probNoPurchase, expectedSpend,
/// clv]`, the last two NaN without a spend model (the columns the wrapper turns into objects).
pub fn score_summaries(fit: &FitResult, sums: &[Summary], opts: &ScoreOptions) -> Result<Vec<[f64; 5]>, Error> {
    let stored_fit = StoredFit {
        model: fit.model.clone(),
        params: fit.params.clone(),
        log_likelihood: Some(fit.log_likelihood),
        customers: Some(fit.customers),
        converged: fit.converged,
        message: fit.message.clone(),
    };
    let count = count_model(&stored_fit, "fit")?;
    let spend = fit.spend.as_ref().map(|s| spend_model(s, "fit.spend")).transpose()?;
    let horizon = opts.horizon.ok_or_else(|| Error::option("options.horizon", "is required (in the fit's time unit)"))?;
    if !(horizon.is_finite() && horizon >= 0.0 && horizon <= f64::from(btyd::MAX_CLV_PERIODS)) {
        return Err(Error::option("options.horizon", format!("expected a number from 0 to {}, got `{horizon}`", btyd::MAX_CLV_PERIODS)));
    }
    let rate = opts.discount_rate.unwrap_or(0.0);
    if !(rate.is_finite() && rate > -1.0) {
        return Err(Error::option("options.discountRate", format!("expected a rate above −1, got `{rate}`")));
    }
    let m = count.model();
    let bad = |i: usize| move |e: btyd::BtydError| Error::input(format!("summaries[{i}]"), e.to_string());
    let mut out = Vec::with_capacity(sums.len());
    for (i, s) in sums.iter().enumerate() {
        let obs = s.observation();
        let expected_spend = match &spend {
            Some(g) => g.expected_spend_or_mean(s.frequency, s.monetary_value).map_err(bad(i))?,
            None => f64::NAN,
        };
        let clv = if expected_spend.is_finite() {
            customer_lifetime_value(m, &obs, expected_spend, horizon.round() as u32, rate).map_err(bad(i))?
        } else {
            f64::NAN
        };
        out.push([
            m.p_alive(&obs).map_err(bad(i))?,
            m.expected_purchases(&obs, horizon).map_err(bad(i))?,
            m.prob_no_purchase(&obs, horizon).map_err(bad(i))?,
            expected_spend,
            clv,
        ]);
    }
    Ok(out)
}
