//! Exact simulators of the models, for parameter-recovery tests and benchmarks.
//!
//! Each customer's latent rates are drawn from the mixing distributions and their purchases
//! are generated in continuous time (nothing is merged), observed from the first purchase at
//! time 0 to their age `T`. The streams are reproducible from the seed.

use super::params::BgNbd;
use super::error::BtydError;
use super::params::GammaGamma;
use super::params::MbgNbd;
use super::observation::{Observation, SpendObservation};
use super::params::ParetoNbd;
use super::rng::Rng;

/// The most repeat purchases one simulated customer may make before the simulation is refused
/// (parameters implying more would take too long to simulate purchase by purchase).
pub const MAX_SIMULATED_PURCHASES: u32 = 1_000_000;

fn check_ages(ages: &[f64]) -> Result<(), BtydError> {
    for (i, &t) in ages.iter().enumerate() {
        if !t.is_finite() {
            return Err(BtydError::NonFinite { field: "age", value: t, customer: i.to_string() });
        }
        if t < 0.0 {
            return Err(BtydError::Negative { field: "age", value: t, customer: i.to_string() });
        }
    }
    Ok(())
}

fn too_many(i: usize) -> BtydError {
    BtydError::numerical(format!(
        "simulated customer `{i}` exceeded `{MAX_SIMULATED_PURCHASES}` purchases: the parameters imply too many purchases to simulate"
    ))
}

/// Simulates BG/NBD (`immediate_dropout` false) or MBG/NBD (true) customers.
fn simulate_beta_geo(
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    immediate_dropout: bool,
    ages: &[f64],
    seed: u64,
) -> Result<Vec<Observation>, BtydError> {
    check_ages(ages)?;
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(ages.len());
    for (i, &age) in ages.iter().enumerate() {
        let lambda = rng.gamma(r, alpha);
        let p = rng.beta(a, b);
        let mut o = Observation { x: 0, t_x: 0.0, t: age };
        let mut alive = !(immediate_dropout && rng.uniform() < p);
        let mut t = 0.0;
        while alive {
            t += rng.exponential() / lambda;
            if t.is_nan() || t > age {
                break;
            }
            if o.x >= MAX_SIMULATED_PURCHASES {
                return Err(too_many(i));
            }
            o.x += 1;
            o.t_x = t;
            alive = rng.uniform() >= p;
        }
        out.push(o);
    }
    Ok(out)
}

/// Simulates one BG/NBD customer per age in `ages` (each customer's `T`).
pub fn simulate_bgnbd(model: &BgNbd, ages: &[f64], seed: u64) -> Result<Vec<Observation>, BtydError> {
    let m = BgNbd::new(model.r, model.alpha, model.a, model.b)?;
    simulate_beta_geo(m.r, m.alpha, m.a, m.b, false, ages, seed)
}

/// Simulates one MBG/NBD customer per age in `ages`.
pub fn simulate_mbgnbd(model: &MbgNbd, ages: &[f64], seed: u64) -> Result<Vec<Observation>, BtydError> {
    let m = MbgNbd::new(model.r, model.alpha, model.a, model.b)?;
    simulate_beta_geo(m.r, m.alpha, m.a, m.b, true, ages, seed)
}

/// Simulates one Pareto/NBD customer per age in `ages`.
pub fn simulate_pareto_nbd(model: &ParetoNbd, ages: &[f64], seed: u64) -> Result<Vec<Observation>, BtydError> {
    let m = ParetoNbd::new(model.r, model.alpha, model.s, model.beta)?;
    check_ages(ages)?;
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(ages.len());
    for (i, &age) in ages.iter().enumerate() {
        let lambda = rng.gamma(m.r, m.alpha);
        let mu = rng.gamma(m.s, m.beta);
        let end = (rng.exponential() / mu).min(age);
        let mut o = Observation { x: 0, t_x: 0.0, t: age };
        let mut t = 0.0;
        loop {
            t += rng.exponential() / lambda;
            if t.is_nan() || t > end {
                break;
            }
            if o.x >= MAX_SIMULATED_PURCHASES {
                return Err(too_many(i));
            }
            o.x += 1;
            o.t_x = t;
        }
        out.push(o);
    }
    Ok(out)
}

/// Simulates the mean spend of repeat buyers with the given frequencies (each at least 1).
/// The mean of `x` purchases worth `Gamma(p, ν)` each is drawn exactly as `Gamma(px, ν)/x`.
pub fn simulate_gamma_gamma(
    model: &GammaGamma,
    frequencies: &[u32],
    seed: u64,
) -> Result<Vec<SpendObservation>, BtydError> {
    let m = GammaGamma::new(model.p, model.q, model.gamma)?;
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(frequencies.len());
    for (i, &x) in frequencies.iter().enumerate() {
        if x == 0 {
            return Err(BtydError::ZeroFrequency { customer: i.to_string() });
        }
        let nu = rng.gamma(m.q, m.gamma);
        let xf = f64::from(x);
        let mean = rng.gamma(m.p * xf, nu) / xf;
        out.push(SpendObservation { x, mean_spend: mean });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::btyd::model::CountModel;

    /// The simulated mean frequency matches E[X(T)] of the model.
    #[test]
    fn simulated_frequencies_match_expectations() {
        let n = 40_000;
        let ages = vec![39.0; n];
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let mbg = MbgNbd { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
        let pnbd = ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
        let mean = |v: &[Observation]| v.iter().map(|o| f64::from(o.x)).sum::<f64>() / v.len() as f64;
        let zero = |v: &[Observation]| v.iter().filter(|o| o.x == 0).count() as f64 / v.len() as f64;
        let cases: [(&dyn CountModel, Vec<Observation>); 3] = [
            (&bg, simulate_bgnbd(&bg, &ages, 1).unwrap_or_default()),
            (&mbg, simulate_mbgnbd(&mbg, &ages, 2).unwrap_or_default()),
            (&pnbd, simulate_pareto_nbd(&pnbd, &ages, 3).unwrap_or_default()),
        ];
        for (model, sim) in &cases {
            assert_eq!(sim.len(), n);
            let e = model.expected_purchases_new_customer(39.0).unwrap_or(f64::NAN);
            let p0 = model.prob_no_purchase_new_customer(39.0).unwrap_or(f64::NAN);
            // Standard errors: the frequency's sd is about 2, the zero share's about 0.5.
            assert!((mean(sim) - e).abs() < 5.0 * 2.5 / (n as f64).sqrt(), "{:?}: {} vs {e}", model.kind(), mean(sim));
            assert!(
                (zero(sim) - p0).abs() < 5.0 * 0.5 / (n as f64).sqrt(),
                "{:?}: {} vs {p0}",
                model.kind(),
                zero(sim)
            );
            assert!(sim.iter().all(|o| o.check(String::new).is_ok()));
        }
        assert!(simulate_bgnbd(&bg, &[f64::NAN], 1).is_err());
        assert!(simulate_bgnbd(&BgNbd { r: -1.0, ..bg }, &ages, 1).is_err());
    }

    #[test]
    fn spend_simulation_matches_the_conditional_mean_identity() {
        let gg = GammaGamma { p: 6.25, q: 3.74, gamma: 15.44 };
        let freqs = vec![3u32; 100_000];
        let sim = simulate_gamma_gamma(&gg, &freqs, 9).unwrap_or_default();
        let mean = sim.iter().map(|s| s.mean_spend).sum::<f64>() / sim.len() as f64;
        let pop = gg.mean_spend().unwrap_or(f64::NAN);
        assert!((mean / pop - 1.0).abs() < 0.02, "{mean} vs {pop}");
        assert!(simulate_gamma_gamma(&gg, &[0], 1).is_err());
    }
}
