//! The JavaScript buying-model API: `fitBuyingModel` and `scoreBuying`, on summaries (objects or
//! columns) or orders.

use super::{count_model, spend_model, stored, StoredFit};
use crate::num::Num;
use crate::btyd::{self, customer_lifetime_value, FitOptions, Observation, SpendObservation, Summary, TimeUnit, Transaction};
use crate::error::Error;
use crate::time::{parse_instant, DAY_MS};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use crate::keyed::Keyed;

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
    pub params: Keyed<String, f64>,
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
                    return Err(Error::input(format!("{path}.frequency"), format!("expected a whole number ≥ 0, got `{}`", Num(x))));
                }
                for (name, v) in [("recency", r.recency), ("T", r.t)] {
                    if !(v.is_finite() && v >= 0.0) {
                        return Err(Error::input(format!("{path}.{name}"), format!("expected a finite number ≥ 0, got `{}`", Num(v))));
                    }
                }
                if r.recency > r.t {
                    return Err(Error::input(format!("{path}.recency"), format!("recency `{}` is after T `{}`", Num(r.recency), Num(r.t))));
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
                .ok_or_else(|| Error::option("options.asOf", format!("expected an ISO 8601 date or date-time in 0001–9999, got `{as_of_text}`")))?;
            let mut tx = Vec::with_capacity(orders.len());
            for (i, o) in orders.iter().enumerate() {
                let path = format!("input.orders[{i}]");
                let at = parse_instant(&o.at, 0)
                    .ok_or_else(|| Error::input(format!("{path}.at"), format!("expected an ISO 8601 date or date-time in 0001–9999, got `{}`", o.at)))?;
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
            return Err(Error::input(format!("{}.frequency", path()), format!("expected a whole number ≥ 0, got `{}`", Num(x))));
        }
        for (name, v) in [("recency", recency[i]), ("T", t[i])] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::input(format!("{}.{name}", path()), format!("expected a finite number ≥ 0, got `{}`", Num(v))));
            }
        }
        if recency[i] > t[i] {
            return Err(Error::input(format!("{}.recency", path()), format!("recency `{}` is after T `{}`", Num(recency[i]), Num(t[i]))));
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
        return Err(Error::option("options.horizon", format!("expected a number from 0 to {}, got `{}`", btyd::MAX_CLV_PERIODS, Num(horizon))));
    }
    let rate = opts.discount_rate.unwrap_or(0.0);
    if !(rate.is_finite() && rate > -1.0) {
        return Err(Error::option("options.discountRate", format!("expected a rate above −1, got `{}`", Num(rate))));
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
