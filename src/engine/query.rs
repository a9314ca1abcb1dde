//! A query of the worklist or of the customers list, read from JSON: offset and limit, the
//! filters (owner, kind, tier, band, risk, stage, search) and the sort; its key names the cached
//! result it may reuse.

use crate::error::Error;
use crate::score::health::Band;
use crate::score::stage::Stage;
use crate::score::value::Tier;

/// Most items one page may hold.
pub const MAX_LIMIT: usize = 10_000;

/// One or several accepted values of a filter.
#[derive(Debug, Clone, PartialEq)]
pub enum OneOrMany {
    /// One value.
    One(String),
    /// Any of these.
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn accepts(&self, v: &str) -> bool {
        match self {
            OneOrMany::One(x) => x == v,
            OneOrMany::Many(xs) => xs.iter().any(|x| x == v),
        }
    }
}

/// A query of the worklist or of the customers list (`kind` applies to the worklist, `stage`
/// to the customers list).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// Items to skip.
    pub offset: usize,
    /// Items to return (default 50, at most [`MAX_LIMIT`]).
    pub limit: Option<usize>,
    /// Only this owner's (an action's owner on the worklist, the account owner on the
    /// customers list); `""` for those without one.
    pub owner: Option<String>,
    /// Only these action kinds (worklist).
    pub kind: Option<OneOrMany>,
    /// Only these value tiers.
    pub tier: Option<OneOrMany>,
    /// Only these health bands.
    pub band: Option<OneOrMany>,
    /// Only these risk levels.
    pub risk: Option<OneOrMany>,
    /// Only these stages (customers list).
    pub stage: Option<OneOrMany>,
    /// Customers whose name or id contains this text (case-insensitive).
    pub search: Option<String>,
    /// `field` or `field:asc` / `field:desc`.
    pub sort: Option<String>,
    /// Only customers whose predicted lapse date (`buying.lapseAt`) is within this many days of
    /// `asOf`.
    pub lapse_within: Option<usize>,
}

impl Query {
    /// A query from JSON (`null`: the defaults); unknown keys are errors.
    pub fn from_json(v: &serde_json::Value, path: &str) -> Result<Query, Error> {
        use serde_json::Value as J;
        let o = match v {
            J::Null => return Ok(Query::default()),
            J::Object(o) => o,
            _ => return Err(Error::option(path, "expected an object")),
        };
        let bad = |k: &str, what: &str| Error::option(format!("{path}.{k}"), format!("expected {what}"));
        let count = |k: &str, x: &J| -> Result<usize, Error> {
            match x.as_u64() {
                Some(n) if n <= u64::from(u32::MAX) => Ok(n as usize),
                _ => Err(bad(k, "a whole number from 0 to 4294967295")),
            }
        };
        let text = |k: &str, x: &J| -> Result<String, Error> { x.as_str().map(str::to_owned).ok_or_else(|| bad(k, "a string")) };
        let values = |k: &str, x: &J| -> Result<OneOrMany, Error> {
            match x {
                J::String(s) => Ok(OneOrMany::One(s.clone())),
                J::Array(a) => a.iter().map(|y| text(k, y)).collect::<Result<Vec<_>, _>>().map(OneOrMany::Many),
                _ => Err(bad(k, "a string or an array of strings")),
            }
        };
        let mut q = Query::default();
        for (k, x) in o {
            if x.is_null() {
                continue;
            }
            match k.as_str() {
                "offset" => q.offset = count(k, x)?,
                "limit" => {
                    let l = count(k, x)?;
                    if l > MAX_LIMIT {
                        return Err(Error::option(format!("{path}.limit"), format!("at most {MAX_LIMIT} items a page")));
                    }
                    q.limit = Some(l);
                }
                "owner" => q.owner = Some(text(k, x)?),
                "search" => q.search = Some(text(k, x)?),
                "sort" => q.sort = Some(text(k, x)?),
                "kind" => q.kind = Some(values(k, x)?),
                "tier" => q.tier = Some(values(k, x)?),
                "band" => q.band = Some(values(k, x)?),
                "risk" => q.risk = Some(values(k, x)?),
                "stage" => q.stage = Some(values(k, x)?),
                "lapseWithin" => q.lapse_within = Some(count(k, x)?),
                _ => return Err(Error::option(format!("{path}.{k}"), format!("unknown query key `{k}`"))),
            }
        }
        Ok(q)
    }

    pub(super) fn limit(&self) -> usize {
        self.limit.unwrap_or(50)
    }

    /// What identifies the query's list (all but the page), as text: each value prefixed by its
    /// length, so that no two queries share a key.
    pub(super) fn key(&self) -> String {
        use std::fmt::Write;
        let mut k = String::new();
        let one = |k: &mut String, s: &str| {
            let _ = write!(k, "{}:", s.len());
            k.push_str(s);
        };
        let text = |k: &mut String, s: &Option<String>| {
            match s {
                Some(s) => one(k, s),
                None => k.push('-'),
            }
            k.push('|');
        };
        let many = |k: &mut String, m: &Option<OneOrMany>| {
            match m {
                Some(OneOrMany::One(s)) => one(k, s),
                Some(OneOrMany::Many(v)) => {
                    let _ = write!(k, "[{}]", v.len());
                    for s in v {
                        one(k, s);
                    }
                }
                None => k.push('-'),
            }
            k.push('|');
        };
        text(&mut k, &self.owner);
        many(&mut k, &self.kind);
        many(&mut k, &self.tier);
        many(&mut k, &self.band);
        many(&mut k, &self.risk);
        many(&mut k, &self.stage);
        text(&mut k, &self.search);
        text(&mut k, &self.sort);
        text(&mut k, &self.lapse_within.map(|n| n.to_string()));
        k
    }

    pub(super) fn sort_spec(&self, fields: &[&str], path: &str) -> Result<Option<(String, Option<bool>)>, Error> {
        let Some(s) = &self.sort else { return Ok(None) };
        let (field, dir) = match s.split_once(':') {
            Some((f, "asc")) => (f, Some(false)),
            Some((f, "desc")) => (f, Some(true)),
            Some((_, d)) => return Err(Error::option(format!("{path}.sort"), format!("unknown direction `{d}`, expected asc or desc"))),
            None => (s.as_str(), None),
        };
        if !fields.contains(&field) {
            return Err(Error::option(format!("{path}.sort"), format!("unknown sort field `{field}`, expected one of {}", fields.join(", "))));
        }
        Ok(Some((field.to_owned(), dir)))
    }
}

pub(super) fn name(t: Tier) -> &'static str {
    match t {
        Tier::A => "A",
        Tier::B => "B",
        Tier::C => "C",
    }
}

pub(super) fn band_name(b: Band) -> &'static str {
    match b {
        Band::Green => "green",
        Band::Amber => "amber",
        Band::Red => "red",
    }
}

pub(super) fn stage_name(s: Stage) -> &'static str {
    match s {
        Stage::Awareness => "awareness",
        Stage::Exploration => "exploration",
        Stage::Expansion => "expansion",
        Stage::Commitment => "commitment",
        Stage::Dissolution => "dissolution",
    }
}

/// Sort fields of the worklist; each has a natural direction (priority, overdue, uplift,
/// severity and risk descending, the others ascending).
pub const WORKLIST_SORTS: &[&str] = &["priority", "overdue", "uplift", "severity", "customer", "kind", "owner", "tier", "health", "risk"];
/// Sort fields of the customers list.
pub const CUSTOMER_SORTS: &[&str] =
    &["priority", "id", "name", "owner", "tier", "stage", "health", "band", "trend", "risk", "riskScore", "openFlags", "actions", "revenue12m"];
