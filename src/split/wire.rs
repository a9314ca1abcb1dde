//! The tenant's figures as text, to carry them from the task that computes them to the tasks
//! that score the buckets: JSON in which every `f64` is written as its bits, so that it reads
//! back exactly (a decimal float may not, through every JSON reader).

use super::tenant::TenantStats;
use crate::error::Error;
use crate::keyed::Keyed;
use crate::models::{GivenModels, ModelsReport, StoredFit};
use crate::score::cut::TierCut;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Fit {
    model: String,
    params: Vec<(String, u64)>,
    log_likelihood: Option<u64>,
    customers: Option<usize>,
    converged: bool,
    message: Option<String>,
}

impl Fit {
    fn of(f: &StoredFit) -> Fit {
        Fit {
            model: f.model.clone(),
            params: f.params.iter().map(|(k, v)| (k.clone(), v.to_bits())).collect(),
            log_likelihood: f.log_likelihood.map(f64::to_bits),
            customers: f.customers,
            converged: f.converged,
            message: f.message.clone(),
        }
    }

    fn stored(self) -> StoredFit {
        let mut params = Keyed::new();
        for (k, v) in self.params {
            params.insert(k, f64::from_bits(v));
        }
        StoredFit { model: self.model, params, log_likelihood: self.log_likelihood.map(f64::from_bits), customers: self.customers, converged: self.converged, message: self.message }
    }
}

type End = Option<(u64, String)>;

#[derive(Serialize, Deserialize)]
struct Wire {
    sum_now: u64,
    sum_then: u64,
    cuts: Vec<(i64, End, End)>,
    fitted_at: Option<i64>,
    buying: Option<Fit>,
    spend: Option<Fit>,
    source: String,
    reason: Option<String>,
    repeat_buyers: usize,
    given_buying: Option<Fit>,
    given_spend: Option<Fit>,
}

fn end(e: Option<(f64, String)>) -> End {
    e.map(|(r, id)| (r.to_bits(), id))
}

fn back(e: End) -> Option<(f64, String)> {
    e.map(|(r, id)| (f64::from_bits(r), id))
}

impl TenantStats {
    /// As text ([`TenantStats::from_text`] reads it back, bit for bit).
    pub fn to_text(&self) -> String {
        let m = &self.models;
        let w = Wire {
            sum_now: self.sum_now.to_bits(),
            sum_then: self.sum_then.to_bits(),
            cuts: self.cuts.iter().map(|(t, c)| {
                let [b, c] = c.ends();
                (*t, end(b), end(c))
            }).collect(),
            fitted_at: self.fitted_at,
            buying: m.buying.as_ref().map(Fit::of),
            spend: m.spend.as_ref().map(Fit::of),
            source: m.source.to_owned(),
            reason: m.reason.clone(),
            repeat_buyers: m.repeat_buyers,
            given_buying: self.given.buying.as_ref().map(Fit::of),
            given_spend: self.given.spend.as_ref().map(Fit::of),
        };
        serde_json::to_string(&w).unwrap_or_default()
    }

    /// Read [`TenantStats::to_text`].
    pub fn from_text(text: &str) -> Result<TenantStats, Error> {
        let w: Wire = serde_json::from_str(text).map_err(|e| Error::input("stats", format!("not the tenant's figures: {e}")))?;
        let source = match w.source.as_str() {
            "fitted" => "fitted",
            "options" => "options",
            _ => "none",
        };
        let models = ModelsReport {
            buying: w.buying.map(Fit::stored),
            spend: w.spend.map(Fit::stored),
            time_unit: "week",
            source,
            reason: w.reason,
            repeat_buyers: w.repeat_buyers,
        };
        Ok(TenantStats {
            sum_now: f64::from_bits(w.sum_now),
            sum_then: f64::from_bits(w.sum_then),
            cuts: w.cuts.into_iter().map(|(t, b, c)| (t, TierCut::from_ends([back(b), back(c)]))).collect(),
            models,
            fitted_at: w.fitted_at,
            given: GivenModels { buying: w.given_buying.map(Fit::stored), spend: w.given_spend.map(Fit::stored) },
        })
    }
}
