//! The Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Fader & Hardie 2013, "The
//! Gamma-Gamma model of monetary value").
//!
//! Each purchase of a customer is worth `z ~ Gamma(p, ν)` (shape, rate) and `ν ~ Gamma(q, γ)`
//! across customers. The mean `m_x` of `x` repeat purchases has density
//!
//! ```text
//! f(m_x | p, q, γ, x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + m_x x)^(px+q)
//! ```
//!
//! which is maximised over the repeat buyers. The population mean spend per purchase is
//! `pγ/(q−1)` and the conditional mean given `(x, m_x)` is
//! `p(γ + m_x x)/(px + q − 1) = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m_x`.

use super::bgnbd::check_params;
use super::error::BtydError;
use super::fit::{estimate, scale, shape, FitOptions, ParamInfo};
use super::params::{GammaGamma, Fit, ModelKind, Params};
use super::observation::SpendObservation;
use super::optimize::Objective;
use crate::num::Num;
use super::special::{digamma, ln_gamma};


const NAMES: [&str; 3] = ["p", "q", "gamma"];
const PARAMS: [ParamInfo; 3] = [shape("p"), shape("q"), scale("gamma")];

fn describe(c: &SpendObservation) -> String {
    format!("({}, {})", c.x, Num(c.mean_spend))
}

impl GammaGamma {
    /// Builds the parameters, checking that each is positive and finite.
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self, BtydError> {
        let m = GammaGamma { p, q, gamma };
        m.check()?;
        Ok(m)
    }

    fn check(&self) -> Result<(), BtydError> {
        check_params(&[self.p, self.q, self.gamma], &NAMES)
    }

    /// `ln f(m_x | p, q, γ, x)` for one repeat buyer.
    pub fn log_likelihood(&self, customer: &SpendObservation) -> Result<f64, BtydError> {
        self.check()?;
        customer.check(|| describe(customer))?;
        let GammaGamma { p, q, gamma } = *self;
        let (x, m) = (f64::from(customer.x), customer.mean_spend);
        let px = p * x;
        let ll = ln_gamma(px + q) - ln_gamma(px) - ln_gamma(q) + q * gamma.ln() + (px - 1.0) * m.ln() + px * x.ln()
            - (px + q) * (gamma + m * x).ln();
        if ll.is_finite() {
            Ok(ll)
        } else {
            Err(BtydError::numerical(format!(
                "non-finite spend log-likelihood `{}` for customer `{}`",
                Num(ll),
                describe(customer)
            )))
        }
    }

    /// The log-likelihood summed over repeat buyers.
    pub fn total_log_likelihood(&self, customers: &[SpendObservation]) -> Result<f64, BtydError> {
        customers.iter().try_fold(0.0, |sum, c| Ok(sum + self.log_likelihood(c)?))
    }

    /// The population mean value of a purchase, `pγ/(q−1)`; an error when `q <= 1` (the mean
    /// is then infinite).
    pub fn mean_spend(&self) -> Result<f64, BtydError> {
        self.check()?;
        if self.q <= 1.0 {
            return Err(BtydError::InfiniteMeanSpend { q: self.q });
        }
        Ok(self.p * self.gamma / (self.q - 1.0))
    }

    /// `E[Z | x, m_x]`: the expected value of a future purchase of this repeat buyer,
    /// `p(γ + m_x x)/(px + q − 1)`; an error when `px + q <= 1`.
    pub fn expected_spend(&self, customer: &SpendObservation) -> Result<f64, BtydError> {
        self.check()?;
        customer.check(|| describe(customer))?;
        let px = self.p * f64::from(customer.x);
        let denominator = px + self.q - 1.0;
        if denominator <= 0.0 {
            return Err(BtydError::InfiniteMeanSpend { q: self.q });
        }
        Ok(self.p * (self.gamma + customer.mean_spend * f64::from(customer.x)) / denominator)
    }

    /// [`expected_spend`](Self::expected_spend) for a repeat buyer, [`mean_spend`](Self::mean_spend)
    /// for a customer without repeat purchase (`x = 0` or no mean).
    pub fn expected_spend_or_mean(&self, x: u32, mean_spend: Option<f64>) -> Result<f64, BtydError> {
        match mean_spend {
            Some(m) if x > 0 => self.expected_spend(&SpendObservation { x, mean_spend: m }),
            _ => self.mean_spend(),
        }
    }
}

/// Repeat buyers grouped by frequency, then by mean spend.
struct SpendGroup {
    x: f64,
    ln_x: f64,
    count: f64,
    /// `(m, ln m, count)`.
    cells: Vec<(f64, f64, f64)>,
}

fn group_spend(customers: &[SpendObservation]) -> Vec<SpendGroup> {
    let mut rows = customers.to_vec();
    // The crate's shared sort: one copy of the sorting code in the wasm module.
    crate::sort::sort_by(&mut rows, |a, b| a.x.cmp(&b.x).then(a.mean_spend.total_cmp(&b.mean_spend)));
    let mut groups: Vec<SpendGroup> = Vec::new();
    for c in &rows {
        let x = f64::from(c.x);
        if groups.last().is_none_or(|g| g.x != x) {
            groups.push(SpendGroup { x, ln_x: x.ln(), count: 0.0, cells: Vec::new() });
        }
        if let Some(g) = groups.last_mut() {
            g.count += 1.0;
            match g.cells.last_mut() {
                Some(cell) if cell.0 == c.mean_spend => cell.2 += 1.0,
                _ => g.cells.push((c.mean_spend, c.mean_spend.ln(), 1.0)),
            }
        }
    }
    groups
}

struct SpendObjective<'a> {
    groups: &'a [SpendGroup],
}

impl Objective<3> for SpendObjective<'_> {
    fn eval(&mut self, theta: &[f64; 3], grad: &mut [f64; 3]) -> f64 {
        let [p, q, gamma] = theta.map(f64::exp);
        if ![p, q, gamma].iter().all(|v| v.is_finite() && *v > 0.0) {
            return f64::NAN;
        }
        let (lg_q, dg_q, ln_gamma_) = (ln_gamma(q), digamma(q), gamma.ln());
        let (mut ll, mut g_p, mut g_q, mut g_g) = (0.0, 0.0, 0.0, 0.0);
        for group in self.groups {
            let (x, n) = (group.x, group.count);
            let px = p * x;
            let (dg_pxq, dg_px) = (digamma(px + q), digamma(px));
            ll += n * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_gamma_ + px * group.ln_x);
            g_p += n * x * (dg_pxq - dg_px + group.ln_x);
            g_q += n * (dg_pxq - dg_q + ln_gamma_);
            g_g += n * q / gamma;
            for &(m, ln_m, count) in &group.cells {
                let ln_gm = (gamma + m * x).ln();
                ll += count * ((px - 1.0) * ln_m - (px + q) * ln_gm);
                g_p += count * x * (ln_m - ln_gm);
                g_q -= count * ln_gm;
                g_g -= count * (px + q) / (gamma + m * x);
            }
        }
        *grad = [-p * g_p, -q * g_q, -gamma * g_g];
        -ll
    }
}

/// Fits the Gamma-Gamma model by maximum likelihood on repeat buyers.
///
/// Errors: no customers, a customer with `x = 0` or a mean spend that is not positive (use
/// [`spend_observations`](super::spend_observations) to keep the repeat buyers of a set of
/// summaries). A fit that did not converge is returned with `converged: false` and a `message`.
pub fn fit_gamma_gamma(customers: &[SpendObservation], options: &FitOptions) -> Result<Fit, BtydError> {
    options.check()?;
    if customers.is_empty() {
        return Err(BtydError::Empty { what: "repeat buyers to fit" });
    }
    for (i, c) in customers.iter().enumerate() {
        c.check(|| i.to_string())?;
    }
    let groups = group_spend(customers);
    let mean = customers.iter().map(|c| c.mean_spend).sum::<f64>() / customers.len() as f64;
    // (p, q) pairs; γ set so that the population mean pγ/(q−1) matches the data's.
    let starts: Vec<[f64; 3]> = [(1.0, 2.0), (5.0, 3.0), (0.5, 5.0)]
        .iter()
        .map(|&(p, q)| [f64::ln(p), f64::ln(q), f64::ln(mean * (q - 1.0) / p)])
        .collect();
    let e = estimate(&mut SpendObjective { groups: &groups }, None, &starts, &PARAMS, options)?;
    Ok(e.into_fit(ModelKind::GammaGamma, customers.len(), |[p, q, gamma]| Params::GammaGamma(GammaGamma { p, q, gamma })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let data = [
            SpendObservation::new(1, 12.5),
            SpendObservation::new(1, 30.0),
            SpendObservation::new(4, 22.1),
            SpendObservation::new(4, 22.1),
            SpendObservation::new(9, 7.0),
        ];
        let groups = group_spend(&data);
        let m = GammaGamma { p: 6.25, q: 3.74, gamma: 15.44 };
        let direct = m.total_log_likelihood(&data).unwrap_or(f64::NAN);
        let mut obj = SpendObjective { groups: &groups };
        let theta = [m.p, m.q, m.gamma].map(f64::ln);
        let mut g = [0.0; 3];
        let f = obj.eval(&theta, &mut g);
        assert!((f + direct).abs() < 1e-10 * direct.abs());
        for i in 0..3 {
            let (mut up, mut down, mut tmp) = (theta, theta, [0.0; 3]);
            up[i] += 1e-6;
            down[i] -= 1e-6;
            let fd = (obj.eval(&up, &mut tmp) - obj.eval(&down, &mut tmp)) / 2e-6;
            assert!((fd - g[i]).abs() < 1e-6 * (1.0 + fd.abs()), "{i}: {} vs {fd}", g[i]);
        }
    }

    #[test]
    fn conditional_mean_is_a_weighted_average() {
        let m = GammaGamma { p: 6.25, q: 3.74, gamma: 15.44 };
        let c = SpendObservation::new(3, 40.0);
        let pop = m.mean_spend().unwrap_or(f64::NAN);
        let w = (m.q - 1.0) / (m.p * 3.0 + m.q - 1.0);
        let expected = w * pop + (1.0 - w) * 40.0;
        assert!((m.expected_spend(&c).unwrap_or(f64::NAN) - expected).abs() < 1e-12);
        assert_eq!(m.expected_spend_or_mean(0, None), m.mean_spend());
        assert!(GammaGamma { p: 1.0, q: 0.5, gamma: 1.0 }.mean_spend().is_err());
        assert!(matches!(fit_gamma_gamma(&[], &FitOptions::default()), Err(BtydError::Empty { .. })));
        assert!(fit_gamma_gamma(&[SpendObservation::new(0, 1.0)], &FitOptions::default()).is_err());
    }
}
