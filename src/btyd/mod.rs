//! Buy-Till-You-Die models: who is still a customer, how much they will buy, and what they are
//! worth.
//!
//! The pipeline:
//!
//! 1. [`summarize`] turns [`Transaction`]s into per-customer [`Summary`]s: repeat purchase days
//!    `x`, recency `t_x`, age `T` (in a [`TimeUnit`]) and mean repeat spend.
//! 2. A purchase model is fitted by maximum likelihood on the `(x, t_x, T)` triples
//!    ([`Observation`]): [`fit_bgnbd`], [`fit_mbgnbd`] or [`fit_pareto_nbd`]; the spend model
//!    on the repeat buyers ([`SpendObservation`]) with [`fit_gamma_gamma`]. Each returns a
//!    [`Fit`] with the log-likelihood summed over customers and an explicit convergence flag.
//! 3. The fitted model ([`BgNbd`], [`MbgNbd`], [`ParetoNbd`], all [`CountModel`]s) predicts per
//!    customer: [`CountModel::p_alive`], [`CountModel::expected_purchases`] in a horizon,
//!    [`CountModel::prob_no_purchase`] in a horizon, the same for a new customer, and with
//!    [`GammaGamma::expected_spend`] the [`customer_lifetime_value`].
//!
//! Checked against the published CDNOW results (Fader, Hardie & Lee 2005; Fader & Hardie
//! 2005, 2013) in `tests/btyd_cdnow.rs`.
//!
//! ```
//! # use tend::btyd::*;
//! let bg = BgNbd::new(0.243, 4.414, 0.793, 2.426).unwrap();
//! let customer = Observation::new(2, 30.43, 38.86);
//! let next_39_weeks = bg.expected_purchases(&customer, 39.0).unwrap();
//! assert!((next_39_weeks - 1.226).abs() < 1e-3);
//! ```
//!
//! Everything is plain Rust: no clock, no allocation in the likelihood loops, no panic on any
//! input. Customers with identical `(x, t_x, T)` are evaluated once, and functions of `x`
//! alone once per distinct `x`, so fitting cost grows with the number of distinct histories.
#![deny(missing_docs)]

mod bgnbd;
mod error;
mod fit;
mod gammagamma;
mod grouped;
mod mbgnbd;
mod model;
mod observation;
mod optimize;
mod params;
mod paretonbd;
mod rng;
mod simulate;
mod special;
mod summary;

pub use bgnbd::fit_bgnbd;
pub use error::BtydError;
pub use fit::{FitOptions, SUBSAMPLE_ABOVE};
pub use params::{BgNbd, Fit, GammaGamma, MbgNbd, ModelKind, ParetoNbd, Params};
pub use gammagamma::fit_gamma_gamma;
pub use mbgnbd::fit_mbgnbd;
pub use model::{customer_lifetime_value, discounted_if_alive, CountModel, MAX_CLV_PERIODS};
pub use observation::{Observation, SpendObservation};
pub use paretonbd::fit_pareto_nbd;
pub use simulate::{
    simulate_bgnbd, simulate_gamma_gamma, simulate_mbgnbd, simulate_pareto_nbd, MAX_SIMULATED_PURCHASES,
};
pub use special::{digamma, ln_beta, ln_gamma};
pub use summary::{
    observations, spend_observations, summarize, summarize_one, summarize_with_holdout, HoldoutSummary, Summary, TimeUnit, Transaction,
};
