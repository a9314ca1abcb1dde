//! The tenant's figures, from every bucket's facts: the value tiers and revenue shares now and
//! 30 days back, the RFM scores, the tiers of the state changes' instants and the buying models
//! — computed as one engine computes them, over the customers in input order.

use super::facts::Facts;
use crate::analyze::Options;
use crate::models::{self, GivenModels, ModelsReport};
use crate::score::cut::TierCut;
use crate::score::value::{quintile, Ranking, RfmScales, Tier};
use crate::time::Instant;

/// Where one customer stands in the tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// Its id.
    pub id: String,
    /// Its tier at `asOf` and the share (percent) of revenue ranked above it.
    pub now: (Tier, Option<f64>),
    /// The same 30 days before.
    pub then: (Tier, Option<f64>),
    /// Its RFM scores (recency, frequency, monetary), when it is a buyer.
    pub rfm: Option<(u8, u8, u8)>,
}

/// The tenant's figures every bucket needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TenantStats {
    /// Trailing revenue of the tenant at `asOf`, summed as its ranking sums it.
    pub sum_now: f64,
    /// The same 30 days before.
    pub sum_then: f64,
    /// The tiers of the cut instants.
    pub cuts: Vec<(Instant, TierCut)>,
    /// The models as reported (fitted on the tenant, given, or none).
    pub models: ModelsReport,
    /// The instant they were fitted at (none when given or none is used).
    pub fitted_at: Option<Instant>,
    /// The same models, as `options.models` takes them.
    pub given: GivenModels,
}

/// What one bucket is given: the tenant's figures and the placements of its customers.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The tenant's figures.
    pub stats: TenantStats,
    /// The bucket's customers' placements, sorted by id.
    pub places: Vec<Placement>,
}

impl Given {
    /// A bucket's given figures (`places` in any order).
    pub fn new(stats: TenantStats, mut places: Vec<Placement>) -> Self {
        crate::sort::sort_by(&mut places, |a, b| a.id.cmp(&b.id));
        Given { stats, places }
    }

    /// The placement of a customer.
    pub fn place(&self, id: &str) -> Option<&Placement> {
        self.places.binary_search_by(|p| p.id.as_str().cmp(id)).ok().map(|k| &self.places[k])
    }
}

impl TenantStats {
    /// The tenant's figures and every customer's placement, from the facts of all its buckets
    /// (in any order: they are put in input order) at `options`, with the cut `instants` the
    /// facts were taken at.
    pub fn compute(mut facts: Vec<Facts>, options: &Options, instants: &[Instant]) -> (TenantStats, Vec<Placement>) {
        // Input order, as one engine's slots (an id given twice kept its first valid row).
        crate::sort::sort_by(&mut facts, |a, b| a.origin.cmp(&b.origin));
        let policy = &options.policy;
        let id = |s: u32| facts[s as usize].id.as_str();
        let now: Vec<f64> = facts.iter().map(|f| f.revenue_now).collect();
        let then: Vec<f64> = facts.iter().map(|f| f.revenue_then).collect();
        let now_rank = Ranking::build(&now, &id, policy);
        let then_rank = Ranking::build(&then, &id, policy);
        let scales = RfmScales::build(facts.iter().filter_map(|f| f.rfm));
        let summaries: Vec<Option<crate::btyd::Summary>> = facts.iter().map(|f| f.summary.clone()).collect();
        let (report, fitted) = models::portfolio_models(&summaries, options.models.as_ref());
        drop(summaries);
        let given = match (&report.buying, &fitted) {
            (Some(b), Some(f)) => GivenModels { buying: Some(b.clone()), spend: report.spend.clone().filter(|_| f.has_spend()) },
            _ => GivenModels { buying: None, spend: None },
        };
        let fitted_at = (report.source == "fitted").then_some(options.as_of);
        let cuts = instants
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let mut pairs: Vec<(u64, u32)> = (0..facts.len() as u32)
                    .filter_map(|c| facts[c as usize].revenue_at.get(k).filter(|r| **r > 0.0).map(|r| (!crate::sort::key_f64(*r), c)))
                    .collect();
                crate::sort::radix_pairs(&mut pairs);
                (*t, TierCut::of_sorted(&pairs, &id, policy))
            })
            .collect();
        let places = facts
            .iter()
            .enumerate()
            .map(|(c, f)| Placement {
                id: f.id.clone(),
                now: now_rank.place[c],
                then: then_rank.place[c],
                rfm: f.rfm.map(|k| (quintile(&scales.r, k.0), quintile(&scales.f, k.1), quintile(&scales.m, k.2))),
            })
            .collect();
        let stats = TenantStats { sum_now: now_rank.sum, sum_then: then_rank.sum, cuts, models: report, fitted_at, given };
        (stats, places)
    }
}
