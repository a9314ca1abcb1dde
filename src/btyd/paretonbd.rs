//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in the formulation of Fader & Hardie
//! (2005), "A note on deriving the Pareto/NBD model and related expressions".
//!
//! While alive a customer buys as a Poisson process with rate `λ ~ Gamma(r, α)`; their
//! lifetime is exponential with rate `μ ~ Gamma(s, β)`. The likelihood is
//!
//! ```text
//! L = Γ(r+x) αʳ βˢ / Γ(r) · [ (α+T)^-(r+x) (β+T)^-s + s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ ]
//! ```
//!
//! and the integral is `(H(t_x) − H(T)) / (r+s+x)` with, by Euler's transformation of the
//! note's `₂F₁` (so that every series term is positive and the argument stays in `[0, 1)`):
//!
//! ```text
//! α >= β:  H(τ) = (α+τ)^-(r+x)   (β+τ)^-s      ₂F₁(1, r+x; r+s+x+1; (α−β)/(α+τ))
//! α <  β:  H(τ) = (α+τ)^-(r+x−1) (β+τ)^-(s+1)  ₂F₁(1, s+1; r+s+x+1; (β−α)/(β+τ))
//! ```
//!
//! Everything is computed in logarithms: `ln(H(t_x) − H(T)) = ln H(t_x) + ln(1 − e^(ln H(T) −
//! ln H(t_x)))` and the two bracket terms are combined by log-sum-exp, so customers with
//! hundreds of purchases neither overflow nor underflow. The series' derivatives are summed
//! alongside, which gives an analytic gradient. The series needs about `40 / (1 − z)` terms;
//! parameters with `min(α, β) / max(α, β)` below about `4e-5` make it too slow and are
//! treated as undefined (the optimiser steps back).
//!
//! `P(alive) = Γ(r+x) αʳ βˢ / Γ(r) · (α+T)^-(r+x) (β+T)^-s / L`, and
//! `E[Y(h) | x, t_x, T] = P(alive) · (r+x)/(α+T) · (β+T)/(s−1) · [1 − ((β+T)/(β+T+h))^(s−1)]`.

use super::bgnbd::{check_params, finite};
use super::error::BtydError;
use super::fit::{estimate, scale, shape, subsample_stride, FitOptions, ParamInfo};
use super::params::{ParetoNbd, Fit, ModelKind, Params};
use super::grouped::{group, group_for_fit, Grouped};
use super::model::{describe, CountModel};
use super::observation::{check_horizon, Observation};
use super::optimize::Objective;
use super::special::{digamma, hyp2f1_unit_a, ln_gamma, log_add_exp, one_minus_exp_over};


const NAMES: [&str; 4] = ["r", "alpha", "s", "beta"];
const PARAMS: [ParamInfo; 4] = [shape("r"), scale("alpha"), shape("s"), scale("beta")];

/// A log-value with its gradient with respect to `(r, α, s, β)`.
#[derive(Debug, Clone, Copy)]
struct LogGrad {
    value: f64,
    d: [f64; 4],
}

impl ParetoNbd {
    /// Builds the parameters, checking that each is positive and finite.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> Result<Self, BtydError> {
        let m = ParetoNbd { r, alpha, s, beta };
        m.check()?;
        Ok(m)
    }

    fn check(&self) -> Result<(), BtydError> {
        check_params(&[self.r, self.alpha, self.s, self.beta], &NAMES)
    }

    /// `ln H(τ)` and its gradient (see the module docs).
    fn ln_h(&self, x: f64, tau: f64) -> Option<LogGrad> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let (ea, eb) = (alpha + tau, beta + tau);
        let (la, lb) = (ea.ln(), eb.ln());
        let c = r + s + x + 1.0;
        if alpha >= beta {
            let g = hyp2f1_unit_a(r + x, c, (alpha - beta) / ea)?;
            let gz = g.d_z / g.value;
            Some(LogGrad {
                value: -(r + x) * la - s * lb + g.value.ln(),
                d: [
                    -la + (g.d_b + g.d_c) / g.value,
                    -(r + x) / ea + gz * eb / (ea * ea),
                    -lb + g.d_c / g.value,
                    -s / eb - gz / ea,
                ],
            })
        } else {
            let g = hyp2f1_unit_a(s + 1.0, c, (beta - alpha) / eb)?;
            let gz = g.d_z / g.value;
            Some(LogGrad {
                value: -(r + x - 1.0) * la - (s + 1.0) * lb + g.value.ln(),
                d: [
                    -la + g.d_c / g.value,
                    -(r + x - 1.0) / ea - gz / eb,
                    -lb + (g.d_b + g.d_c) / g.value,
                    -(s + 1.0) / eb + gz * ea / (eb * eb),
                ],
            })
        }
    }

    /// `ln` of the bracket of the likelihood, with its gradient, and `ln` of its first term.
    fn ln_bracket(&self, x: f64, t_x: f64, t: f64) -> Option<(LogGrad, f64)> {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let rx = r + x;
        let ln_first = -rx * (alpha + t).ln() - s * (beta + t).ln();
        let d_first = [-(alpha + t).ln(), -rx / (alpha + t), -(beta + t).ln(), -s / (beta + t)];
        let first = LogGrad { value: ln_first, d: d_first };
        if t_x >= t {
            return Some((first, ln_first));
        }
        let h1 = self.ln_h(x, t_x)?;
        let h2 = self.ln_h(x, t)?;
        if h2.value >= h1.value {
            return Some((first, ln_first));
        }
        let p = r + s + x;
        let e = (h2.value - h1.value).exp();
        let ln_sp = s.ln() - p.ln();
        let ln_second = ln_sp + h1.value + (-e).ln_1p();
        let value = log_add_exp(ln_first, ln_second);
        let wf = (ln_first - value).exp();
        let ws = (ln_second - value).exp();
        let factor = (ln_sp + h1.value - value).exp();
        let d_sp = [-1.0 / p, 0.0, 1.0 / s - 1.0 / p, 0.0];
        let d = std::array::from_fn(|i| {
            let at = |v: &[f64; 4]| v.get(i).copied().unwrap_or(0.0);
            wf * at(&d_first) + ws * at(&d_sp) + factor * (at(&h1.d) - e * at(&h2.d))
        });
        Some((LogGrad { value, d }, ln_first))
    }

    fn ln_constant(&self, x: f64) -> f64 {
        ln_gamma(self.r + x) - ln_gamma(self.r) + self.r * self.alpha.ln() + self.s * self.beta.ln()
    }

    fn bracket_or_error(&self, o: &Observation) -> Result<(LogGrad, f64), BtydError> {
        self.check()?;
        o.check(|| describe(o))?;
        self.ln_bracket(f64::from(o.x), o.t_x, o.t).ok_or_else(|| {
            BtydError::numerical(format!(
                "the hypergeometric series of the likelihood of customer `{}` did not converge",
                describe(o)
            ))
        })
    }
}

impl ParetoNbd {
    /// `E[Y(h) | x, T, alive]`: `(r+x)/(α+T) · (β+T)/(s−1) · (1 − ((β+T)/(β+T+h))^(s−1))`.
    fn if_alive(&self, x: u32, t: f64, horizon: f64) -> f64 {
        let ParetoNbd { r, alpha, s, beta } = *self;
        let rate = (r + f64::from(x)) / (alpha + t);
        rate * (beta + t) * one_minus_exp_over(s - 1.0, -(horizon / (beta + t)).ln_1p())
    }
}

impl CountModel for ParetoNbd {
    fn kind(&self) -> ModelKind {
        ModelKind::ParetoNbd
    }

    fn log_likelihood(&self, customer: &Observation) -> Result<f64, BtydError> {
        let (bracket, _) = self.bracket_or_error(customer)?;
        finite(self.ln_constant(f64::from(customer.x)) + bracket.value, "log-likelihood", customer)
    }

    fn p_alive(&self, customer: &Observation) -> Result<f64, BtydError> {
        let (bracket, ln_first) = self.bracket_or_error(customer)?;
        finite((ln_first - bracket.value).exp().min(1.0), "probability alive", customer)
    }

    fn expected_purchases(&self, customer: &Observation, horizon: f64) -> Result<f64, BtydError> {
        check_horizon("horizon", horizon)?;
        let alive = self.p_alive(customer)?;
        finite(alive * self.if_alive(customer.x, customer.t, horizon), "expected purchases", customer)
    }

    fn expected_if_alive(&self, x: u32, t: f64, horizon: f64) -> Result<f64, BtydError> {
        check_horizon("horizon", horizon)?;
        let o = Observation { x, t_x: if x > 0 { t } else { 0.0 }, t };
        // Checks the parameters and the observation.
        self.bracket_or_error(&o)?;
        finite(self.if_alive(x, t, horizon), "expected purchases", &o)
    }
}

/// The negative log-likelihood of grouped data in log-parameters, with its gradient.
struct ParetoObjective<'a> {
    data: &'a Grouped,
}

impl Objective<4> for ParetoObjective<'_> {
    fn eval(&mut self, theta: &[f64; 4], grad: &mut [f64; 4]) -> f64 {
        let [r, alpha, s, beta] = theta.map(f64::exp);
        let m = ParetoNbd { r, alpha, s, beta };
        if m.check().is_err() {
            return f64::NAN;
        }
        let (lg_r, dg_r, ln_alpha, ln_beta) = (ln_gamma(r), digamma(r), alpha.ln(), beta.ln());
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        for group in &self.data.groups {
            let x = group.x;
            let n = group.count;
            ll += n * (ln_gamma(r + x) - lg_r + r * ln_alpha + s * ln_beta);
            let k = [digamma(r + x) - dg_r + ln_alpha, r / alpha, ln_beta, s / beta];
            for (gi, ki) in g.iter_mut().zip(k) {
                *gi += n * ki;
            }
            for c in &group.cells {
                let Some((b, _)) = m.ln_bracket(x, c.t_x, c.t) else {
                    return f64::NAN;
                };
                ll += c.count * b.value;
                for (gi, di) in g.iter_mut().zip(b.d) {
                    *gi += c.count * di;
                }
            }
        }
        let [g_r, g_alpha, g_s, g_beta] = g;
        *grad = [-r * g_r, -alpha * g_alpha, -s * g_s, -beta * g_beta];
        -ll
    }
}

/// Fits Pareto/NBD by maximum likelihood; same contract as [`fit_bgnbd`](super::fit_bgnbd).
pub fn fit_pareto_nbd(customers: &[Observation], options: &FitOptions) -> Result<Fit, BtydError> {
    let full = group_for_fit(customers, options)?;
    let rate = full.total_x / full.total_t;
    let mean_t = full.total_t / full.customers;
    let starts: Vec<[f64; 4]> = [(1.0, 1.0, 1.0), (0.5, 0.5, 0.5), (2.0, 2.0, 3.0)]
        .iter()
        .map(|&(r, s, k)| [f64::ln(r), f64::ln(r / rate), f64::ln(s), f64::ln(k * mean_t)])
        .collect();
    let mut full_objective = ParetoObjective { data: &full };
    let e = match subsample_stride(customers.len()) {
        None => estimate(&mut full_objective, None, &starts, &PARAMS, options)?,
        Some(stride) => {
            let sub = group(customers.iter().step_by(stride));
            let ratio = full.customers / sub.customers;
            let mut sub_objective = ParetoObjective { data: &sub };
            estimate(&mut full_objective, Some((&mut sub_objective, ratio)), &starts, &PARAMS, options)?
        }
    };
    Ok(e.into_fit(ModelKind::ParetoNbd, customers.len(), |[r, alpha, s, beta]| Params::ParetoNbd(ParetoNbd { r, alpha, s, beta })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::btyd::bgnbd::tests::{check_gradient, sample};

    const PUBLISHED: ParetoNbd = ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };

    /// The bracket's integral by composite Simpson quadrature on a fine grid.
    fn bracket_by_quadrature(m: &ParetoNbd, x: f64, t_x: f64, t: f64) -> f64 {
        let rx = m.r + x;
        let f = |tau: f64| (m.alpha + tau).powf(-rx) * (m.beta + tau).powf(-(m.s + 1.0));
        let n = 20_000;
        let h = (t - t_x) / n as f64;
        let mut sum = f(t_x) + f(t);
        for i in 1..n {
            sum += f(t_x + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        let integral = sum * h / 3.0;
        ((m.alpha + t).powf(-rx) * (m.beta + t).powf(-m.s) + m.s * integral).ln()
    }

    #[test]
    fn bracket_matches_quadrature_in_both_forms() {
        for m in [
            PUBLISHED,
            ParetoNbd { r: 0.8, alpha: 3.0, s: 1.7, beta: 25.0 },
            ParetoNbd { r: 2.0, alpha: 30.0, s: 0.3, beta: 2.0 },
        ] {
            for (x, t_x, t) in [(0.0, 0.0, 38.0), (3.0, 10.0, 30.0), (12.0, 29.0, 31.0)] {
                let b = m.ln_bracket(x, t_x, t).map_or(f64::NAN, |(b, _)| b.value);
                let q = bracket_by_quadrature(&m, x, t_x, t);
                assert!((b - q).abs() < 1e-9 * q.abs(), "{m:?} {x} {t_x} {t}: {b} vs {q}");
            }
        }
    }

    #[test]
    fn objective_gradient_matches_finite_differences() {
        let data = sample();
        let grouped = group(data.iter());
        for m in [
            PUBLISHED,
            ParetoNbd { r: 2.0, alpha: 0.5, s: 3.0, beta: 40.0 },
            ParetoNbd { r: 0.2, alpha: 30.0, s: 0.4, beta: 3.0 },
        ] {
            let direct: f64 = data.iter().map(|o| m.log_likelihood(o).unwrap_or(f64::NAN)).sum();
            check_gradient(&mut ParetoObjective { data: &grouped }, [m.r, m.alpha, m.s, m.beta].map(f64::ln), direct);
        }
    }

    #[test]
    fn published_conditional_expectation() {
        // Fader & Hardie (2005) note: 25.46 for x 26, t_x 30.86, T 31 over 52 weeks.
        let e = PUBLISHED.expected_purchases(&Observation::new(26, 30.86, 31.0), 52.0).unwrap_or(f64::NAN);
        assert!((e - 25.46).abs() < 5e-3, "{e}");
    }

    #[test]
    fn extreme_customers_stay_finite() {
        for o in [Observation::new(500, 99.0, 100.0), Observation::new(500, 0.5, 100.0), Observation::new(0, 0.0, 1e5)]
        {
            let ll = PUBLISHED.log_likelihood(&o);
            assert!(ll.as_ref().is_ok_and(|v| v.is_finite()), "{o:?} {ll:?}");
            assert!(PUBLISHED.p_alive(&o).is_ok_and(|p| (0.0..=1.0).contains(&p)));
            assert!(PUBLISHED.expected_purchases(&o, 52.0).is_ok_and(f64::is_finite));
            assert!(PUBLISHED.prob_no_purchase(&o, 52.0).is_ok_and(|p| (0.0..=1.0).contains(&p)));
        }
        // Unconditional P(X(t)=0) equals the likelihood of (0, 0, t).
        let p0 = PUBLISHED.prob_no_purchase_new_customer(39.0).unwrap_or(f64::NAN);
        let l = PUBLISHED.log_likelihood(&Observation::new(0, 0.0, 39.0)).unwrap_or(f64::NAN).exp();
        assert!((p0 - l).abs() < 1e-14);
    }
}
