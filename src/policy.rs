//! The policy: service levels, cadences, weights and thresholds, with SPEC's defaults.
//!
//! Every duration is configurable. A policy is read from JSON (`options.policy`) by
//! [`Policy::from_json`]; unknown keys and out-of-range values are errors with the exact path,
//! so a typo never silently falls back to a default.

use crate::calendar::Calendar;
use crate::error::Error;
use crate::num::Num;
use crate::input::records::Severity;
use crate::time::{format_date, parse_date, parse_instant, DAY_MS};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

/// Longest duration accepted anywhere in the policy, in days.
pub const MAX_DAYS: u32 = 3660;

/// The most holidays a policy may list (27 years of every day).
pub const MAX_HOLIDAYS: usize = 10_000;

/// Business days to resolve a complaint, by severity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct BySeverity {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl BySeverity {
    /// The value for a severity.
    pub fn get(&self, s: Severity) -> u32 {
        match s {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// Calendar days between outbound contacts, by value tier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct ByTier {
    #[serde(rename = "A")]
    pub a: u32,
    #[serde(rename = "B")]
    pub b: u32,
    #[serde(rename = "C")]
    pub c: u32,
}

/// Weights of the health components (normalised to sum 1 when used).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Weights {
    pub satisfaction: f64,
    pub buying: f64,
    pub attention: f64,
    pub service: f64,
}

/// Health bands: green at or above `green`, amber at or above `amber`, red below.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Bands {
    pub green: f64,
    pub amber: f64,
}

/// Value tiers by share of trailing-12-month revenue, in percent: A is the top `a` %, B the
/// next `b` %, C the rest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Tiers {
    #[serde(rename = "A")]
    pub a: f64,
    #[serde(rename = "B")]
    pub b: f64,
}

/// Zone thresholds of one survey: a score at or above `affection` is in the affection zone, at
/// or above `indifference` in the indifference zone, below it in the defection zone.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Zone {
    pub indifference: u8,
    pub affection: u8,
}

/// Zone thresholds per survey kind (Jones & Sasser: only the top box is truly loyal).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[allow(missing_docs)]
pub struct Zones {
    pub nps: Zone,
    pub csat: Zone,
    pub ces: Zone,
}

/// The policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    /// Fixed UTC offset, `±hh:mm`.
    pub timezone: String,
    /// Offset in seconds (derived from `timezone`).
    #[serde(skip)]
    pub offset_secs: i32,
    /// Workdays as lowercase three-letter names, Monday first.
    pub workdays: Vec<&'static str>,
    /// Holidays (dates in the policy's timezone).
    #[serde(serialize_with = "ser_dates")]
    pub holidays: Vec<NaiveDate>,
    /// Business days to return an inbound contact.
    pub return_contact_within: u32,
    /// Business days to first respond to a complaint.
    pub complaint_first_response_within: u32,
    /// Business days to resolve a complaint, by severity.
    pub complaint_resolve_within: BySeverity,
    /// Business days an open complaint may go without an outbound contact.
    pub complaint_update_every: u32,
    /// Calendar days between outbound contacts, by tier.
    pub outreach_every: ByTier,
    /// Calendar days between feedback.
    pub feedback_every: u32,
    /// Health component weights.
    pub weights: Weights,
    /// Health bands.
    pub bands: Bands,
    /// Value tiers.
    pub tiers: Tiers,
    /// Satisfaction zones.
    pub zones: Zones,
    /// The P(alive) below which a customer counts as lapsed, for `buying.lapseAt`.
    pub lapse_threshold: f64,
}

fn ser_dates<S: serde::Serializer>(d: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(d.iter().map(|d| format_date(*d)))
}

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Default for Policy {
    fn default() -> Self {
        Policy {
            timezone: "+00:00".into(),
            offset_secs: 0,
            workdays: DAY_NAMES[..5].to_vec(),
            holidays: Vec::new(),
            return_contact_within: 1,
            complaint_first_response_within: 1,
            complaint_resolve_within: BySeverity { critical: 1, high: 3, medium: 7, low: 15 },
            complaint_update_every: 3,
            outreach_every: ByTier { a: 30, b: 60, c: 120 },
            feedback_every: 180,
            weights: Weights { satisfaction: 0.35, buying: 0.30, attention: 0.20, service: 0.15 },
            bands: Bands { green: 70.0, amber: 40.0 },
            tiers: Tiers { a: 80.0, b: 15.0 },
            zones: Zones {
                nps: Zone { indifference: 7, affection: 9 },
                csat: Zone { indifference: 3, affection: 5 },
                ces: Zone { indifference: 4, affection: 6 },
            },
            lapse_threshold: 0.5,
        }
    }
}

/// Parse a fixed UTC offset: `±hh:mm`, `Z` or `UTC`.
pub fn parse_offset(s: &str) -> Option<i32> {
    match s {
        "Z" | "UTC" | "utc" => return Some(0),
        _ => {}
    }
    let b = s.as_bytes();
    if b.len() != 6 || b[3] != b':' {
        return None;
    }
    let sign = match b[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h: i32 = s.get(1..3)?.parse().ok()?;
    let m: i32 = s.get(4..6)?.parse().ok()?;
    if !(0..=14).contains(&h) || !(0..=59).contains(&m) || !b[1].is_ascii_digit() || !b[4].is_ascii_digit() {
        return None;
    }
    Some(sign * (h * 3600 + m * 60))
}

struct Reader<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Reader<'a> {
    fn new(v: &'a Value, path: &str) -> Result<Self, Error> {
        match v {
            Value::Object(map) => Ok(Reader { map, path: path.to_owned() }),
            other => Err(Error::policy(path, format!("expected an object, got {}", short(other)))),
        }
    }
    fn check_keys(&self, allowed: &[&str]) -> Result<(), Error> {
        for k in self.map.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(Error::policy(
                    format!("{}.{k}", self.path),
                    format!("unknown policy key `{k}`, expected one of {}", allowed.join(", ")),
                ));
            }
        }
        Ok(())
    }
    fn get(&self, k: &str) -> Option<&'a Value> {
        self.map.get(k).filter(|v| !v.is_null())
    }
    fn days(&self, k: &str, slot: &mut u32) -> Result<(), Error> {
        if let Some(v) = self.get(k) {
            let path = format!("{}.{k}", self.path);
            match v.as_f64() {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= f64::from(MAX_DAYS) => *slot = n as u32,
                _ => return Err(Error::policy(path, format!("expected a whole number of days from 0 to {MAX_DAYS}, got {}", short(v)))),
            }
        }
        Ok(())
    }
    fn number(&self, k: &str, slot: &mut f64, min: f64, max: f64) -> Result<(), Error> {
        if let Some(v) = self.get(k) {
            match v.as_f64() {
                Some(n) if n.is_finite() && n >= min && n <= max => *slot = n,
                _ => return Err(Error::policy(format!("{}.{k}", self.path), format!("expected a number from {} to {}, got {}", Num(min), Num(max), short(v)))),
            }
        }
        Ok(())
    }
    fn child(&self, k: &str) -> Result<Option<Reader<'a>>, Error> {
        match self.get(k) {
            None => Ok(None),
            Some(v) => Reader::new(v, &format!("{}.{k}", self.path)).map(Some),
        }
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    crate::error::quote(&s)
}

impl Policy {
    /// Read a policy from JSON, starting from the defaults. `path` is where it sits in the
    /// options (e.g. `options.policy`), for error messages.
    ///
    /// ```
    /// use tend::Policy;
    /// let p = Policy::from_json(&serde_json::json!({"returnContactWithin": 2, "timezone": "+01:00"}), "options.policy").unwrap();
    /// assert_eq!(p.return_contact_within, 2);
    /// assert_eq!(p.offset_secs, 3600);
    /// let e = Policy::from_json(&serde_json::json!({"returnContactWithn": 2}), "options.policy").unwrap_err();
    /// assert_eq!(e.path(), "options.policy.returnContactWithn");
    /// ```
    pub fn from_json(v: &Value, path: &str) -> Result<Policy, Error> {
        let mut p = Policy::default();
        if v.is_null() {
            return Ok(p);
        }
        let r = Reader::new(v, path)?;
        r.check_keys(&[
            "timezone", "workdays", "holidays", "returnContactWithin", "complaintFirstResponseWithin",
            "complaintResolveWithin", "complaintUpdateEvery", "outreachEvery", "feedbackEvery", "weights",
            "bands", "tiers", "zones", "lapseThreshold",
        ])?;
        if let Some(tz) = r.get("timezone") {
            let off = tz.as_str().and_then(parse_offset).ok_or_else(|| {
                Error::policy(format!("{path}.timezone"), format!("expected a fixed UTC offset like `+01:00`, got {}", short(tz)))
            })?;
            p.offset_secs = off;
            p.timezone = format!("{}{:02}:{:02}", if off < 0 { '-' } else { '+' }, off.abs() / 3600, off.abs() / 60 % 60);
        }
        if let Some(w) = r.get("workdays") {
            let wpath = format!("{path}.workdays");
            let items = w.as_array().ok_or_else(|| Error::policy(&wpath, format!("expected an array of weekdays, got {}", short(w))))?;
            let mut days = [false; 7];
            for (i, it) in items.iter().enumerate() {
                let d = match it {
                    Value::String(s) => {
                        let l = s.to_ascii_lowercase();
                        DAY_NAMES.iter().position(|n| l == *n || l == day_full(n))
                    }
                    Value::Number(n) => n.as_u64().filter(|n| (1..=7).contains(n)).map(|n| n as usize - 1),
                    _ => None,
                };
                match d {
                    Some(d) => days[d] = true,
                    None => return Err(Error::policy(format!("{wpath}[{i}]"), format!("expected a weekday (`mon`…`sun` or 1–7 from Monday), got {}", short(it)))),
                }
            }
            if !days.iter().any(|d| *d) {
                return Err(Error::policy(wpath, "at least one workday is required"));
            }
            p.workdays = DAY_NAMES.iter().zip(days).filter(|(_, on)| *on).map(|(n, _)| *n).collect();
        }
        if let Some(h) = r.get("holidays") {
            let hpath = format!("{path}.holidays");
            let items = h.as_array().ok_or_else(|| Error::policy(&hpath, format!("expected an array of dates, got {}", short(h))))?;
            if items.len() > MAX_HOLIDAYS {
                return Err(Error::policy(&hpath, "at most 10000 holidays"));
            }
            let cal = Calendar::new(p.offset_secs, [true; 7], &[]);
            for (i, it) in items.iter().enumerate() {
                let d = it.as_str().and_then(|s| {
                    parse_date(s).or_else(|| parse_instant(s, p.offset_secs).map(|t| crate::time::date_from_days(cal.day(t))))
                });
                match d {
                    Some(d) => p.holidays.push(d),
                    None => return Err(Error::policy(format!("{hpath}[{i}]"), format!("expected a date `YYYY-MM-DD`, got {}", short(it)))),
                }
            }
            crate::sort::sort_by(&mut p.holidays, |a, b| a.cmp(b));
            p.holidays.dedup();
        }
        r.days("returnContactWithin", &mut p.return_contact_within)?;
        r.days("complaintFirstResponseWithin", &mut p.complaint_first_response_within)?;
        r.days("complaintUpdateEvery", &mut p.complaint_update_every)?;
        r.days("feedbackEvery", &mut p.feedback_every)?;
        r.number("lapseThreshold", &mut p.lapse_threshold, 0.001, 0.999)?;
        if let Some(c) = r.child("complaintResolveWithin")? {
            c.check_keys(&["critical", "high", "medium", "low"])?;
            let s = &mut p.complaint_resolve_within;
            c.days("critical", &mut s.critical)?;
            c.days("high", &mut s.high)?;
            c.days("medium", &mut s.medium)?;
            c.days("low", &mut s.low)?;
        }
        if let Some(c) = r.child("outreachEvery")? {
            c.check_keys(&["A", "B", "C"])?;
            c.days("A", &mut p.outreach_every.a)?;
            c.days("B", &mut p.outreach_every.b)?;
            c.days("C", &mut p.outreach_every.c)?;
        }
        if let Some(c) = r.child("weights")? {
            c.check_keys(&["satisfaction", "buying", "attention", "service"])?;
            let w = &mut p.weights;
            c.number("satisfaction", &mut w.satisfaction, 0.0, 1000.0)?;
            c.number("buying", &mut w.buying, 0.0, 1000.0)?;
            c.number("attention", &mut w.attention, 0.0, 1000.0)?;
            c.number("service", &mut w.service, 0.0, 1000.0)?;
            if w.satisfaction + w.buying + w.attention + w.service <= 0.0 {
                return Err(Error::policy(format!("{path}.weights"), "at least one weight must be above 0"));
            }
        }
        if let Some(c) = r.child("bands")? {
            c.check_keys(&["green", "amber"])?;
            c.number("green", &mut p.bands.green, 0.0, 100.0)?;
            c.number("amber", &mut p.bands.amber, 0.0, 100.0)?;
            if p.bands.amber > p.bands.green {
                return Err(Error::policy(format!("{path}.bands.amber"), format!("amber `{}` must not exceed green `{}`", Num(p.bands.amber), Num(p.bands.green))));
            }
        }
        if let Some(c) = r.child("tiers")? {
            c.check_keys(&["A", "B"])?;
            c.number("A", &mut p.tiers.a, 0.0, 100.0)?;
            c.number("B", &mut p.tiers.b, 0.0, 100.0)?;
            if p.tiers.a + p.tiers.b > 100.0 {
                return Err(Error::policy(format!("{path}.tiers"), format!("A + B must not exceed 100, got `{}`", Num(p.tiers.a + p.tiers.b))));
            }
        }
        if let Some(c) = r.child("zones")? {
            c.check_keys(&["nps", "csat", "ces"])?;
            for (k, zone, (lo, hi)) in [
                ("nps", &mut p.zones.nps, (0u8, 10u8)),
                ("csat", &mut p.zones.csat, (1, 5)),
                ("ces", &mut p.zones.ces, (1, 7)),
            ] {
                if let Some(z) = c.child(k)? {
                    z.check_keys(&["indifference", "affection"])?;
                    let (mut i, mut a) = (f64::from(zone.indifference), f64::from(zone.affection));
                    z.number("indifference", &mut i, f64::from(lo), f64::from(hi))?;
                    z.number("affection", &mut a, f64::from(lo), f64::from(hi))?;
                    if i.fract() != 0.0 || a.fract() != 0.0 || i > a {
                        return Err(Error::policy(format!("{}.{k}", c.path), "expected whole-number thresholds with indifference ≤ affection"));
                    }
                    *zone = Zone { indifference: i as u8, affection: a as u8 };
                }
            }
        }
        Ok(p)
    }

    /// The business-day calendar of this policy.
    pub fn calendar(&self) -> Calendar {
        let mut days = [false; 7];
        for (i, n) in DAY_NAMES.iter().enumerate() {
            days[i] = self.workdays.contains(n);
        }
        Calendar::new(self.offset_secs, days, &self.holidays)
    }

    /// Calendar days as milliseconds.
    pub fn days_ms(days: u32) -> i64 {
        i64::from(days) * DAY_MS
    }
}

fn day_full(short: &str) -> &'static str {
    match short {
        "mon" => "monday",
        "tue" => "tuesday",
        "wed" => "wednesday",
        "thu" => "thursday",
        "fri" => "friday",
        "sat" => "saturday",
        _ => "sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: Value) -> Error {
        Policy::from_json(&v, "options.policy").unwrap_err()
    }

    #[test]
    fn defaults_match_spec() {
        let p = Policy::default();
        assert_eq!(p.complaint_resolve_within, BySeverity { critical: 1, high: 3, medium: 7, low: 15 });
        assert_eq!(p.outreach_every, ByTier { a: 30, b: 60, c: 120 });
        assert_eq!(p.feedback_every, 180);
        assert_eq!(p.workdays, vec!["mon", "tue", "wed", "thu", "fri"]);
    }

    #[test]
    fn reads_overrides() {
        let p = Policy::from_json(
            &json!({"timezone": "-05:30", "workdays": ["Monday", "tue", 3, "THU"], "holidays": ["2026-12-25", "2026-12-25"],
                    "complaintResolveWithin": {"high": 2}, "outreachEvery": {"A": 14}}),
            "options.policy",
        )
        .unwrap();
        assert_eq!(p.offset_secs, -(5 * 3600 + 1800));
        assert_eq!(p.workdays, vec!["mon", "tue", "wed", "thu"]);
        assert_eq!(p.holidays.len(), 1);
        assert_eq!(p.complaint_resolve_within.high, 2);
        assert_eq!(p.complaint_resolve_within.low, 15);
        assert_eq!(p.outreach_every.a, 14);
    }

    #[test]
    fn errors_name_the_path() {
        assert_eq!(err(json!({"timezone": "Europe/Paris"})).path(), "options.policy.timezone");
        assert_eq!(err(json!({"workdays": ["mon", "funday"]})).path(), "options.policy.workdays[1]");
        assert_eq!(err(json!({"workdays": []})).path(), "options.policy.workdays");
        assert_eq!(err(json!({"holidays": ["25/12/2026"]})).path(), "options.policy.holidays[0]");
        assert_eq!(err(json!({"returnContactWithin": -1})).path(), "options.policy.returnContactWithin");
        assert_eq!(err(json!({"returnContactWithin": 1.5})).path(), "options.policy.returnContactWithin");
        assert_eq!(err(json!({"complaintResolveWithin": {"urgent": 1}})).path(), "options.policy.complaintResolveWithin.urgent");
        assert_eq!(err(json!({"bands": {"green": 30, "amber": 50}})).path(), "options.policy.bands.amber");
        assert_eq!(err(json!({"weights": {"satisfaction": 0, "buying": 0, "attention": 0, "service": 0}})).path(), "options.policy.weights");
        assert_eq!(err(json!([1])).path(), "options.policy");
        assert!(err(json!({"timezone": "+15:00"})).is_policy());
    }

    #[test]
    fn offsets() {
        assert_eq!(parse_offset("+01:00"), Some(3600));
        assert_eq!(parse_offset("-09:30"), Some(-34200));
        assert_eq!(parse_offset("Z"), Some(0));
        for bad in ["+1:00", "0100", "+01:60", "+15:00", "+01-00", "+ab:cd", ""] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }
}
