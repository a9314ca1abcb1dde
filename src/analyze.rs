//! The analysis: options, validation, a point-in-time snapshot, and the scores.

use crate::error::Error;
use crate::input::raw::RawExport;
use crate::input::records::Table;
use crate::input::snapshot::Snapshot;
use crate::input::validate::{validate, Validated};
use crate::policy::Policy;
use crate::report::{CustomerReport, InputReport, Report};
use crate::calendar::Calendar;
use crate::portfolio;
use crate::score::{actions, buying, health, neglect, r2, risk, satisfaction, stage, value};
use crate::time::{format_instant, parse_instant, Instant, DAY_MS};
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
                Error::option(path, format!("expected an ISO 8601 date or date-time, got {}", crate::error::quote(s)))
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
    let raw = RawExport::from_slice(text)?;
    let opts = Options::resolve(options, raw.as_of.as_ref(), raw.policy.as_ref(), fallback_as_of)?;
    analyze(&raw, &opts)
}

/// Analyse an export given as JSON text.
pub fn analyze_str(data: &str, options: &Options) -> Result<Report, Error> {
    let raw = RawExport::from_json(data)?;
    analyze(&raw, options)
}

/// Analyse a raw export.
pub fn analyze(raw: &RawExport, options: &Options) -> Result<Report, Error> {
    let v = validate(raw, options.policy.offset_secs)?;
    Ok(analyze_validated(&v, options))
}

/// The per-customer scores that the 30-day trend needs at both instants.
struct Core {
    value: value::Value,
    satisfaction: satisfaction::Satisfaction,
    buying: buying::Buying,
    neglect: Vec<neglect::Flag>,
    health: health::Health,
    last_feedback: Option<Instant>,
}

fn score_at<'a>(
    v: &'a Validated,
    as_of: Instant,
    options: &Options,
    cal: &Calendar,
) -> (Snapshot<'a>, Vec<Core>, crate::models::ModelsReport) {
    let policy = &options.policy;
    let snap = Snapshot::new(&v.data, as_of);
    let values = value::compute(&snap, policy);
    let summaries = crate::models::portfolio_summaries(&snap, policy.offset_secs);
    let (models, fitted) = crate::models::portfolio_models(&summaries, options.models.as_ref());
    let cores = values
        .into_iter()
        .enumerate()
        .map(|(c, mut value)| {
            let satisfaction = satisfaction::compute(&snap, policy, c);
            let mut buying = buying::compute(&snap, policy.offset_secs, |t| cal.day(t), c);
            if let (Some(f), Some(Some(s))) = (&fitted, summaries.get(c)) {
                let mean_order = value.rfm.as_ref().filter(|r| r.frequency > 0).map(|r| r.monetary / f64::from(r.frequency));
                if let Some(p) = crate::models::predict(f, s, mean_order) {
                    buying.p_alive = Some((p.p_alive * 1e4).round() / 1e4);
                    buying.expected_purchases = Some(r2(p.expected_purchases));
                    value.clv = p.clv.map(r2);
                }
            }
            let neglect = neglect::detect(&snap, policy, cal, c, value.tier);
            let health = health::compute(
                &health::Inputs { satisfaction: &satisfaction, buying: &buying, flags: &neglect },
                policy,
                None,
                None,
            );
            let last_feedback = snap.feedback.of(c).last().map(|i| v.data.feedback[*i as usize].at);
            Core { value, satisfaction, buying, neglect, health, last_feedback }
        })
        .collect();
    (snap, cores, models)
}

/// Days in the health trend.
pub const TREND_DAYS: i64 = 30;

/// Analyse validated records (validation does not depend on `asOf`, so one validation serves
/// several instants: the 30-day trend is a true point-in-time re-run at `asOf` − 30 days).
pub fn analyze_validated(v: &Validated, options: &Options) -> Report {
    let policy = &options.policy;
    let cal = policy.calendar();
    let as_of = options.as_of;
    let (snap, mut cores, models) = score_at(v, as_of, options, &cal);
    let then = as_of - TREND_DAYS * DAY_MS;
    let (snap_then, cores_then, _) = score_at(v, then, options, &cal);
    for (c, core) in cores.iter_mut().enumerate() {
        if snap_then.first_known(c).is_some_and(|t| t <= then) {
            core.health.trend = Some(r2(core.health.score - cores_then[c].health.score));
        }
    }
    drop(cores_then);
    let d = &v.data;
    let n = d.customers.len();
    // Word of mouth: referral links both ways.
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (c, cust) in d.customers.iter().enumerate() {
        if let Some(r) = cust.referred_by {
            links[c].push(r);
            links[r].push(c);
        }
    }
    let defecting: Vec<bool> = cores.iter().map(|k| k.satisfaction.zone == Some(satisfaction::Zone::Defection)).collect();
    let base: Vec<risk::Risk> =
        cores.iter().map(|k| risk::compute(&k.buying, &k.satisfaction, &k.neglect, &k.health, 0)).collect();
    let mut customers: Vec<CustomerReport> = cores
        .into_iter()
        .enumerate()
        .map(|(c, k)| {
            let cust = &d.customers[c];
            let mut exposure: Vec<String> = links[c]
                .iter()
                .filter(|o| defecting[**o] || base[**o].level >= risk::Level::High)
                .map(|o| d.customers[*o].id.clone())
                .collect();
            crate::sort::sort_by(&mut exposure, |a, b| a.cmp(b));
            exposure.dedup();
            let risk = risk::compute(&k.buying, &k.satisfaction, &k.neglect, &k.health, exposure.len());
            let stage = stage::stage(&k.buying, &k.satisfaction, &k.value, &k.neglect);
            let actions = actions::compute(
                &actions::Context {
                    satisfaction: &k.satisfaction,
                    buying: &k.buying,
                    flags: &k.neglect,
                    health: &k.health,
                    risk: &risk,
                    tier: k.value.tier,
                    owner: cust.owner.as_deref(),
                    days_since_feedback: k.last_feedback.map(|t| (as_of - t) as f64 / DAY_MS as f64),
                },
                policy,
            );
            let worth = k.value.revenue12m.max(k.value.clv.unwrap_or(0.0)).max(0.0);
            CustomerReport {
                id: cust.id.clone(),
                name: cust.name.clone(),
                owner: cust.owner.clone(),
                segment: cust.segment.clone(),
                referred_by: cust.referred_by.map(|r| d.customers[r].id.clone()),
                health: k.health,
                satisfaction: k.satisfaction,
                value: k.value,
                buying: k.buying,
                neglect: k.neglect,
                stage,
                priority: priority(risk.score, worth),
                risk,
                exposure,
                actions,
            }
        })
        .collect();
    crate::sort::sort_by(&mut customers, |a, b| a.id.cmp(&b.id));

    let mut input = InputReport { rejected: v.rejected.clone(), warnings: v.warnings.clone(), ..Default::default() };
    for (k, t) in Table::ALL.iter().enumerate() {
        let counts = input.table_mut(*t);
        counts.received = v.received[k];
        counts.future = snap.future[k];
    }
    for r in &v.rejected {
        input.table_mut(r.table).rejected += 1;
    }
    for t in Table::ALL {
        let c = input.table_mut(*t);
        c.used = c.received.saturating_sub(c.rejected + c.future);
    }
    let worklist = portfolio::worklist(&customers);
    let owners = portfolio::owners(&snap, &cal, &customers);
    let daily = portfolio::daily(&snap, &cal);
    let portfolio = portfolio::portfolio(&customers, daily, policy);
    Report {
        as_of: format_instant(as_of, policy.offset_secs),
        policy: policy.clone(),
        customers,
        worklist,
        owners,
        portfolio,
        models,
        input,
    }
}

/// The worklist rank key: risk × value — the revenue expected to be lost — with value + 1 so
/// that risk still orders customers without revenue. Value is the larger of the trailing
/// 12 months' revenue and the CLV when a buying model is fitted.
pub fn priority(risk: f64, value: f64) -> f64 {
    r2(risk * (1.0 + value))
}
