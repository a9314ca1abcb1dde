//! MBG/NBD (Batislam, Denizel & Filiztekin 2007; Hoppe & Wagner 2007).
//!
//! As BG/NBD, except that a customer may also drop out right after the initial purchase (at
//! time 0), so a customer without repeat purchase may be dead too. Given `λ` and `p`:
//!
//! ```text
//! L(λ, p | x, t_x, T) = (1−p)^(x+1) λˣ e^(−λT) + p (1−p)ˣ λˣ e^(−λ t_x)
//! ```
//!
//! and integrating over `λ ~ Gamma(r, α)`, `p ~ Beta(a, b)` gives the BG/NBD expressions with
//! `b + x` in place of `b + x − 1` and the dropout term present for every customer. The
//! formulas are in the `bgnbd` module (shift `σ = 1`).

use super::bgnbd::{beta_geo_model, fit_beta_geo, BetaGeo};
use super::error::BtydError;
use super::fit::FitOptions;
use super::params::{MbgNbd, Fit, ModelKind, Params};
use super::model::CountModel;
use super::observation::Observation;


beta_geo_model!(MbgNbd, ModelKind::MbgNbd, 1.0);

/// Fits MBG/NBD by maximum likelihood; same contract as [`fit_bgnbd`](super::fit_bgnbd).
pub fn fit_mbgnbd(customers: &[Observation], options: &FitOptions) -> Result<Fit, BtydError> {
    let e = fit_beta_geo(customers, options, 1.0)?;
    Ok(e.into_fit(ModelKind::MbgNbd, customers.len(), |[r, alpha, a, b]| Params::MbgNbd(MbgNbd { r, alpha, a, b })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_customer_expressions() {
        let m = MbgNbd { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
        // P(X(t) = 0) = a/(a+b) + b/(a+b) (α/(α+t))^r: immediate dropout or no purchase.
        let t = 39.0;
        let closed = (m.a + m.b * (m.alpha / (m.alpha + t)).powf(m.r)) / (m.a + m.b);
        let p0 = m.prob_no_purchase_new_customer(t).unwrap_or(f64::NAN);
        assert!((p0 - closed).abs() < 1e-12, "{p0} vs {closed}");
        // A new customer is alive with probability b/(a+b).
        let pa = m.p_alive(&Observation::NEW).unwrap_or(f64::NAN);
        assert!((pa - m.b / (m.a + m.b)).abs() < 1e-12);
        // E[X(t)] for small t is about P(alive) · r/α · t.
        let e = m.expected_purchases_new_customer(1e-4).unwrap_or(f64::NAN);
        assert!((e / (pa * m.r / m.alpha * 1e-4) - 1.0).abs() < 1e-3, "{e}");
    }
}
