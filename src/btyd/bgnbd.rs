//! BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"), and the
//! beta-geometric machinery it shares with MBG/NBD.
//!
//! While alive a customer buys as a Poisson process with rate `λ ~ Gamma(r, α)` (shape, rate);
//! right after each repeat purchase they drop out with probability `p ~ Beta(a, b)`. MBG/NBD
//! lets them drop out at time 0 too. Both are written here with a `shift` `σ`: 0 for BG/NBD,
//! 1 for MBG/NBD. With `x` repeat purchases, the last at `t_x`, observed until `T`:
//!
//! ```text
//! L = Γ(r+x) αʳ / Γ(r) · B(a, b+x+σ) / B(a, b)
//!     · [ (α+T)^-(r+x) + δ · a/(b+x−1+σ) · (α+t_x)^-(r+x) ]
//! ```
//!
//! with `δ = 1` when `x + σ >= 1` (BG/NBD: `x > 0`; MBG/NBD: always). The bracket is computed
//! as `−(r+x) ln(α+T) + softplus(ln ρ)` with `ρ = δ a/(b+x−1+σ) ((α+T)/(α+t_x))^(r+x)`, and
//! `P(alive) = 1/(1+ρ)`.
//!
//! The conditional expectation (FHL 2005 eq. 10, Batislam et al. 2007 for σ = 1) is
//!
//! ```text
//! E[Y(h) | x, t_x, T] = P(alive) · C/(a−1) · [1 − ((α+T)/(α+T+h))^(r+x) ₂F₁(r+x, b'; C; z)]
//! b' = b+x+σ,   C = a+b'−1,   z = h/(α+T+h)
//! ```
//!
//! Euler's transformation turns the bracket into `1 − (1−z)^(a−1) ₂F₁(A, a−1; C; z)` with
//! `A = a+b+σ−1−r`, whose series converges fast even for customers with hundreds of purchases
//! and has terms of one sign when `A > −1`; the `1/(a−1)` is divided out analytically so
//! `a = 1` is fine. For `A <= −1` (r large against a+b) the original series, whose terms are
//! all positive, is used instead.

use super::error::BtydError;
use crate::num::Num;
use super::fit::{estimate, scale, shape, subsample_stride, Estimate, FitOptions, ParamInfo};
use super::params::{BgNbd, Fit, ModelKind, Params};
use super::grouped::{group, group_for_fit, Grouped};
use super::model::{describe, CountModel};
use super::observation::{check_horizon, Observation};
use super::optimize::Objective;
use super::special::{digamma, hyp2f1_bg_tail, ln_gamma, ln_hyp2f1_positive, one_minus_exp_over, sigmoid, softplus};


/// The four parameters with the BG (σ = 0) or MBG (σ = 1) shift.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BetaGeo {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
    pub shift: f64,
}

pub(crate) const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];
const PARAMS: [ParamInfo; 4] = [shape("r"), scale("alpha"), shape("a"), shape("b")];

/// Checks that every parameter is positive and finite.
pub(crate) fn check_params(values: &[f64], names: &[&'static str]) -> Result<(), BtydError> {
    for (&value, &name) in values.iter().zip(names) {
        if !(value.is_finite() && value > 0.0) {
            return Err(BtydError::InvalidParameter { name, value });
        }
    }
    Ok(())
}

impl BetaGeo {
    pub(crate) fn check(&self) -> Result<(), BtydError> {
        check_params(&[self.r, self.alpha, self.a, self.b], &NAMES)
    }

    /// `ln ρ` (see the module docs), or `None` when the dropout term is absent (δ = 0).
    fn ln_rho(&self, x: f64, t_x: f64, t: f64) -> Option<f64> {
        if x + self.shift < 1.0 {
            return None;
        }
        let rx = self.r + x;
        Some(
            self.a.ln() - (self.b + x - 1.0 + self.shift).ln() + rx * ((self.alpha + t).ln() - (self.alpha + t_x).ln()),
        )
    }

    /// The terms of `ln L` that depend on `x` only.
    fn ln_constant(&self, x: f64) -> f64 {
        let (r, a, b, s) = (self.r, self.a, self.b, self.shift);
        ln_gamma(r + x) - ln_gamma(r) + r * self.alpha.ln() + ln_gamma(b + x + s)
            - ln_gamma(a + b + x + s)
            - ln_gamma(b)
            + ln_gamma(a + b)
    }

    pub(crate) fn log_likelihood(&self, o: &Observation) -> Result<f64, BtydError> {
        self.check()?;
        o.check(|| describe(o))?;
        let x = f64::from(o.x);
        let base = self.ln_constant(x) - (self.r + x) * (self.alpha + o.t).ln();
        let ll = base + self.ln_rho(x, o.t_x, o.t).map_or(0.0, softplus);
        finite(ll, "log-likelihood", o)
    }

    pub(crate) fn p_alive(&self, o: &Observation) -> Result<f64, BtydError> {
        self.check()?;
        o.check(|| describe(o))?;
        let x = f64::from(o.x);
        Ok(self.ln_rho(x, o.t_x, o.t).map_or(1.0, |l| sigmoid(-l)))
    }

    /// The age at which P(alive) falls to `p` without another purchase, in closed form: `ln ρ`
    /// grows by `(r + x) ln((α + T')/(α + T))` from its value at `T`, so `P = 1/(1 + ρ) = p` at
    /// `α + T' = (α + T) exp((ln((1 − p)/p) − ln ρ(T)) / (r + x))`. Never (`None`) without the
    /// dropout term (BG/NBD with no repeat purchase); not before `t_x`.
    pub(crate) fn lapse_age(&self, o: &Observation, p: f64) -> Result<Option<f64>, BtydError> {
        self.check()?;
        o.check(|| describe(o))?;
        let x = f64::from(o.x);
        let Some(now) = self.ln_rho(x, o.t_x, o.t) else { return Ok(None) };
        let target = ((1.0 - p) / p).ln();
        let age = (self.alpha + o.t) * ((target - now) / (self.r + x)).exp() - self.alpha;
        Ok(age.is_finite().then_some(age.max(o.t_x)))
    }

    /// Expected purchases in `(T, T+h]` for a customer alive at `T`.
    fn expected_if_alive(&self, x: f64, t: f64, h: f64) -> Option<f64> {
        let (r, alpha, a) = (self.r, self.alpha, self.a);
        let b1 = self.b + x + self.shift;
        let big_c = a + b1 - 1.0;
        let big_a = big_c - r - x;
        let ln_1mz = -(h / (alpha + t)).ln_1p();
        // h > 0 here; written so that an astronomically long horizon gives z = 1 (refused by
        // the series) rather than a meaningless 0.
        let z = 1.0 / (1.0 + (alpha + t) / h);
        if big_a > -1.0 || big_c <= 0.0 || (a - 1.0).abs() < 1e-6 {
            let tail = hyp2f1_bg_tail(big_a, a, big_c, z)?;
            Some(big_c * one_minus_exp_over(a - 1.0, ln_1mz) - ((a - 1.0) * ln_1mz).exp() * tail)
        } else {
            let ln_f = ln_hyp2f1_positive(r + x, b1, big_c, z)?;
            Some(big_c / (a - 1.0) * -((r + x) * ln_1mz + ln_f).exp_m1())
        }
    }

    pub(crate) fn expected_purchases(&self, o: &Observation, horizon: f64) -> Result<f64, BtydError> {
        check_horizon("horizon", horizon)?;
        let alive = self.p_alive(o)?;
        let e = self.if_alive(o, horizon)?;
        finite((alive * e).max(0.0), "expected purchases", o)
    }

    /// [`CountModel::expected_if_alive`] of `o.x` and `o.t` (`o` checked, `t_x` unused).
    pub(crate) fn if_alive(&self, o: &Observation, horizon: f64) -> Result<f64, BtydError> {
        check_horizon("horizon", horizon)?;
        self.check()?;
        o.check(|| describe(o))?;
        if horizon == 0.0 {
            return Ok(0.0);
        }
        let e = self
            .expected_if_alive(f64::from(o.x), o.t, horizon)
            .ok_or_else(|| BtydError::numerical(format!("the hypergeometric series for the expected purchases of customer `{}` over `{}` did not converge", describe(o), Num(horizon))))?;
        finite(e.max(0.0), "expected purchases", o)
    }
}

pub(crate) fn finite(v: f64, what: &str, o: &Observation) -> Result<f64, BtydError> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(BtydError::numerical(format!("non-finite {what} `{}` for customer `{}`", Num(v), describe(o))))
    }
}

/// The negative log-likelihood of grouped data in log-parameters, with its gradient.
pub(crate) struct BetaGeoObjective<'a> {
    pub data: &'a Grouped,
    pub shift: f64,
}

impl Objective<4> for BetaGeoObjective<'_> {
    fn eval(&mut self, theta: &[f64; 4], grad: &mut [f64; 4]) -> f64 {
        let [r, alpha, a, b] = theta.map(f64::exp);
        if ![r, alpha, a, b].iter().all(|v| v.is_finite() && *v > 0.0) {
            return f64::NAN;
        }
        let s = self.shift;
        let ln_alpha = alpha.ln();
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let ln_a = a.ln();
        let (mut ll, mut g_r, mut g_alpha, mut g_a, mut g_b) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for group in &self.data.groups {
            let x = group.x;
            let n = group.count;
            let rx = r + x;
            let k = ln_gamma(rx) - lg_r + r * ln_alpha + ln_gamma(b + x + s) - ln_gamma(a + b + x + s) - lg_b + lg_ab;
            let dg_abx = digamma(a + b + x + s);
            let k_r = digamma(rx) - dg_r + ln_alpha;
            let k_a = dg_ab - dg_abx;
            let k_b = digamma(b + x + s) - dg_abx - dg_b + dg_ab;
            let (mut s_ll, mut s_r, mut s_alpha, mut s_w) = (0.0, 0.0, 0.0, 0.0);
            if x + s >= 1.0 {
                let b_term = b + x - 1.0 + s;
                let ln_ab = ln_a - b_term.ln();
                for c in &group.cells {
                    let lt = (alpha + c.t).ln();
                    let ltx = (alpha + c.t_x).ln();
                    let ln_rho = ln_ab + rx * (lt - ltx);
                    let e = (-ln_rho.abs()).exp();
                    let (soft, w) =
                        if ln_rho > 0.0 { (ln_rho + e.ln_1p(), 1.0 / (1.0 + e)) } else { (e.ln_1p(), e / (1.0 + e)) };
                    s_ll += c.count * (soft - rx * lt);
                    s_r += c.count * (w * (lt - ltx) - lt);
                    s_alpha += c.count * ((1.0 - w) / (alpha + c.t) + w / (alpha + c.t_x));
                    s_w += c.count * w;
                }
                g_b -= s_w / b_term;
            } else {
                for c in &group.cells {
                    let lt = (alpha + c.t).ln();
                    s_ll -= c.count * rx * lt;
                    s_r -= c.count * lt;
                    s_alpha += c.count / (alpha + c.t);
                }
            }
            ll += n * k + s_ll;
            g_r += n * k_r + s_r;
            g_alpha += n * r / alpha - rx * s_alpha;
            g_a += n * k_a + s_w / a;
            g_b += n * k_b;
        }
        *grad = [-r * g_r, -alpha * g_alpha, -a * g_a, -b * g_b];
        -ll
    }
}

/// Fits BG/NBD (`shift` 0) or MBG/NBD (`shift` 1); returns the estimate in log-parameters.
pub(crate) fn fit_beta_geo(
    customers: &[Observation],
    options: &FitOptions,
    shift: f64,
) -> Result<Estimate<4>, BtydError> {
    let full = group_for_fit(customers, options)?;
    let rate = full.total_x / full.total_t;
    let starts: Vec<[f64; 4]> = [(1.0, 1.0, 1.0), (0.3, 0.7, 2.5), (3.0, 2.0, 8.0)]
        .iter()
        .map(|&(r, a, b)| [f64::ln(r), f64::ln(r / rate), f64::ln(a), f64::ln(b)])
        .collect();
    let mut full_objective = BetaGeoObjective { data: &full, shift };
    match subsample_stride(customers.len()) {
        None => estimate(&mut full_objective, None, &starts, &PARAMS, options),
        Some(stride) => {
            let sub = group(customers.iter().step_by(stride));
            let ratio = full.customers / sub.customers;
            let mut sub_objective = BetaGeoObjective { data: &sub, shift };
            estimate(&mut full_objective, Some((&mut sub_objective, ratio)), &starts, &PARAMS, options)
        }
    }
}

/// The parameter constructor, the kernel and the [`CountModel`] impl of a beta-geometric model
/// (BG/NBD with `shift` 0, MBG/NBD with `shift` 1): both only delegate to [`BetaGeo`].
macro_rules! beta_geo_model {
    ($model:ident, $kind:expr, $shift:expr) => {
        impl $model {
            /// Builds the parameters, checking that each is positive and finite.
            pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> Result<Self, BtydError> {
                let m = $model { r, alpha, a, b };
                m.kernel().check()?;
                Ok(m)
            }

            pub(crate) fn kernel(&self) -> BetaGeo {
                BetaGeo { r: self.r, alpha: self.alpha, a: self.a, b: self.b, shift: $shift }
            }
        }

        impl CountModel for $model {
            fn kind(&self) -> ModelKind {
                $kind
            }

            fn log_likelihood(&self, customer: &Observation) -> Result<f64, BtydError> {
                self.kernel().log_likelihood(customer)
            }

            fn p_alive(&self, customer: &Observation) -> Result<f64, BtydError> {
                self.kernel().p_alive(customer)
            }

            fn lapse_age(&self, customer: &Observation, p: f64) -> Result<Option<f64>, BtydError> {
                self.kernel().lapse_age(customer, p)
            }

            fn expected_purchases(&self, customer: &Observation, horizon: f64) -> Result<f64, BtydError> {
                self.kernel().expected_purchases(customer, horizon)
            }

            fn expected_if_alive(&self, x: u32, t: f64, horizon: f64) -> Result<f64, BtydError> {
                self.kernel().if_alive(&Observation { x, t_x: if x > 0 { t } else { 0.0 }, t }, horizon)
            }
        }
    };
}
pub(crate) use beta_geo_model;

beta_geo_model!(BgNbd, ModelKind::BgNbd, 0.0);

/// Fits BG/NBD by maximum likelihood (see [`FitOptions`] and the `fit` module for the method).
///
/// Errors: no customers, an invalid observation, or nobody with a repeat purchase (the
/// likelihood then grows without bound as `r → 0`). A fit that ran but did not converge is
/// returned with `converged: false` and a `message`.
pub fn fit_bgnbd(customers: &[Observation], options: &FitOptions) -> Result<Fit, BtydError> {
    let e = fit_beta_geo(customers, options, 0.0)?;
    Ok(e.into_fit(ModelKind::BgNbd, customers.len(), |[r, alpha, a, b]| Params::BgNbd(BgNbd { r, alpha, a, b })))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Vec<Observation> {
        vec![
            Observation::new(0, 0.0, 38.86),
            Observation::new(2, 30.43, 38.86),
            Observation::new(1, 1.71, 38.86),
            Observation::new(0, 0.0, 30.0),
            Observation::new(5, 20.0, 31.0),
            Observation::new(5, 20.0, 31.0),
            Observation::new(14, 35.5, 36.0),
            Observation::new(3, 3.0, 3.0),
        ]
    }

    /// The grouped objective's value and gradient against the per-customer likelihood and
    /// central finite differences.
    pub(crate) fn check_gradient<O: Objective<4>>(obj: &mut O, theta: [f64; 4], direct: f64) {
        let mut g = [0.0; 4];
        let f = obj.eval(&theta, &mut g);
        assert!((f + direct).abs() < 1e-9 * direct.abs().max(1.0), "{f} vs {}", -direct);
        for i in 0..4 {
            let h = 1e-6;
            let mut up = theta;
            let mut down = theta;
            up[i] += h;
            down[i] -= h;
            let mut tmp = [0.0; 4];
            let fd = (obj.eval(&up, &mut tmp) - obj.eval(&down, &mut tmp)) / (2.0 * h);
            assert!((fd - g[i]).abs() < 1e-6 * (1.0 + fd.abs()), "component {i}: {} vs {fd}", g[i]);
        }
    }

    #[test]
    fn objective_matches_scalar_likelihood_and_finite_differences() {
        let data = sample();
        let grouped = group(data.iter());
        for shift in [0.0, 1.0] {
            for params in [[0.243, 4.414, 0.793, 2.426], [2.0, 0.5, 3.0, 0.4], [0.05, 40.0, 0.2, 20.0]] {
                let m = BetaGeo { r: params[0], alpha: params[1], a: params[2], b: params[3], shift };
                let direct: f64 = data.iter().map(|o| m.log_likelihood(o).unwrap_or(f64::NAN)).sum();
                let mut obj = BetaGeoObjective { data: &grouped, shift };
                check_gradient(&mut obj, params.map(f64::ln), direct);
            }
        }
    }

    #[test]
    fn published_predictions() {
        // Fader, Hardie & Lee (2005) parameters for CDNOW, weeks.
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let e = m.expected_purchases(&Observation::new(2, 30.43, 38.86), 39.0).unwrap_or(f64::NAN);
        assert!((e - 1.226).abs() < 5e-4, "{e}");
        let p0 = m.prob_no_purchase_new_customer(39.0).unwrap_or(f64::NAN);
        assert!((p0 - 0.5737864).abs() < 1e-6, "{p0}");
    }

    #[test]
    fn both_series_forms_agree() {
        // A = a+b-1-r <= -1 selects the positive original series; compare with the other form.
        let m = BetaGeo { r: 5.0, alpha: 3.0, a: 1.5, b: 2.0, shift: 0.0 };
        let (x, t, h) = (3.0, 20.0, 15.0);
        let b1 = m.b + x;
        let big_c = m.a + b1 - 1.0;
        let z = h / (m.alpha + t + h);
        let ln_1mz = -(h / (m.alpha + t)).ln_1p();
        let tail = hyp2f1_bg_tail(big_c - m.r - x, m.a, big_c, z).unwrap_or(f64::NAN);
        let other = big_c * one_minus_exp_over(m.a - 1.0, ln_1mz) - ((m.a - 1.0) * ln_1mz).exp() * tail;
        let used = m.expected_if_alive(x, t, h).unwrap_or(f64::NAN);
        assert!((used - other).abs() < 1e-9 * used, "{used} vs {other}");
    }

    #[test]
    fn closed_form_probability_of_no_purchase() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let o = Observation::new(2, 30.43, 38.86);
        let pa = m.p_alive(&o).unwrap_or(f64::NAN);
        let closed = 1.0 - pa + pa * ((m.alpha + o.t) / (m.alpha + o.t + 10.0)).powf(m.r + 2.0);
        let p0 = m.prob_no_purchase(&o, 10.0).unwrap_or(f64::NAN);
        assert!((p0 - closed).abs() < 1e-12, "{p0} vs {closed}");
    }

    #[test]
    fn extreme_customers_stay_finite() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        for o in [Observation::new(500, 99.0, 100.0), Observation::new(500, 1.0, 100.0), Observation::new(0, 0.0, 1e6)]
        {
            assert!(m.log_likelihood(&o).is_ok_and(f64::is_finite));
            assert!(m.p_alive(&o).is_ok_and(|p| (0.0..=1.0).contains(&p)));
            assert!(m.expected_purchases(&o, 52.0).is_ok_and(|e| e.is_finite() && e >= 0.0));
            assert!(m.prob_no_purchase(&o, 52.0).is_ok_and(|p| (0.0..=1.0).contains(&p)));
        }
        assert!(BgNbd::new(0.0, 1.0, 1.0, 1.0).is_err());
        assert!(m.p_alive(&Observation::new(1, 5.0, 2.0)).is_err());
        assert!(m.expected_purchases(&Observation::new(1, 1.0, 2.0), f64::NAN).is_err());
    }

    #[test]
    fn degenerate_data_are_refused() {
        let o = FitOptions::default();
        assert!(matches!(fit_bgnbd(&[], &o), Err(BtydError::Empty { .. })));
        let none = vec![Observation::new(0, 0.0, 10.0); 50];
        assert!(matches!(fit_bgnbd(&none, &o), Err(BtydError::NotIdentified { .. })));
        let zero_age = vec![Observation::new(0, 0.0, 0.0); 5];
        assert!(fit_bgnbd(&zero_age, &o).is_err());
    }
}
