//! Maximum-likelihood fitting: the result type, options, and the driver shared by the models.
//!
//! Every model is fitted on the logarithms of its parameters with BFGS and an analytic
//! gradient, from several starting points, keeping the best (exploration stops early once two
//! starts converge to the same optimum). When no start converges the driver falls back to
//! Nelder–Mead and polishes its result with BFGS. On large data sets
//! (more than [`SUBSAMPLE_ABOVE`] customers) the starts run on an evenly strided subsample and
//! only the best one is polished on all customers, with the subsample's curvature estimate
//! (rescaled) as the starting inverse Hessian, which typically takes a handful of full passes.
//!
//! A fit that did not converge is reported as such, with `converged: false` and a reason;
//! parameters that run off towards 0 or infinity (a shape parameter outside `[1e-6, 1e6]`, a
//! scale parameter beyond `e^±20`) are reported the same way, since the data then do not
//! identify the model: the likelihood's supremum is a limiting case of it.

use super::error::BtydError;
use crate::num::Sci;
use super::params::{Fit, ModelKind, Params};
use super::optimize::{bfgs, nelder_mead, Objective, Outcome, Settings, Status};

/// Above this many customers, starting points are explored on a subsample.
pub const SUBSAMPLE_ABOVE: usize = 50_000;

/// Approximate number of customers in that subsample.
pub(crate) const SUBSAMPLE_SIZE: usize = 25_000;

/// A bound on `|ln θ|` beyond which the optimiser stops a run as diverged.
const MAX_ABS_LOG_PARAM: f64 = 20.0;

/// At the optimum, a shape parameter outside `[1e-6, 1e6]` means a boundary solution (a
/// degenerate mixing distribution); scale parameters are judged by [`MAX_ABS_LOG_PARAM`] only,
/// since they depend on the units of time or money.
const MAX_ABS_LOG_SHAPE: f64 = 13.815_510_557_964_274;

/// A model parameter as the driver sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ParamInfo {
    /// Its name in messages.
    pub name: &'static str,
    /// Whether it is a scale (rate) parameter, whose size depends on the units.
    pub scale: bool,
}

/// A shape parameter.
pub(crate) const fn shape(name: &'static str) -> ParamInfo {
    ParamInfo { name, scale: false }
}

/// A scale parameter.
pub(crate) const fn scale(name: &'static str) -> ParamInfo {
    ParamInfo { name, scale: true }
}

/// Options of a fit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitOptions {
    /// Iteration limit of one optimiser run (default 300).
    pub max_iterations: usize,
    /// Convergence when every component of the gradient of the log-likelihood with respect to
    /// the log-parameters is at most this times `max(1, |log-likelihood|)` (default `1e-8`).
    pub gradient_tolerance: f64,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions { max_iterations: 300, gradient_tolerance: 1e-8 }
    }
}

impl FitOptions {
    pub(crate) fn check(&self) -> Result<(), BtydError> {
        if self.max_iterations == 0 {
            return Err(BtydError::InvalidArgument {
                name: "iteration limit",
                value: 0.0,
                requirement: "must be positive",
            });
        }
        let g = self.gradient_tolerance;
        if !(g.is_finite() && g > 0.0) {
            return Err(BtydError::InvalidArgument {
                name: "gradient tolerance",
                value: g,
                requirement: "must be positive and finite",
            });
        }
        Ok(())
    }

    fn settings(&self) -> Settings {
        Settings {
            max_iterations: self.max_iterations,
            gtol: self.gradient_tolerance,
            max_abs_theta: MAX_ABS_LOG_PARAM,
        }
    }
}

/// What the driver found, in log-parameters.
#[derive(Debug, Clone)]
pub(crate) struct Estimate<const N: usize> {
    pub theta: [f64; N],
    pub log_likelihood: f64,
    pub iterations: usize,
    pub converged: bool,
    pub message: Option<String>,
}

impl<const N: usize> Estimate<N> {
    /// The fit report of this estimate, with the parameters built from `exp(theta)`.
    pub(crate) fn into_fit(self, model: ModelKind, customers: usize, params: impl FnOnce([f64; N]) -> Params) -> Fit {
        Fit {
            model,
            params: params(self.theta.map(f64::exp)),
            log_likelihood: self.log_likelihood,
            customers,
            converged: self.converged,
            iterations: self.iterations,
            message: self.message,
        }
    }
}

/// Whether run `a` should be preferred to run `b`: a converged run beats one that did not
/// converge unless the latter is better by more than the objective's resolution.
fn better<const N: usize>(a: &Outcome<N>, b: &Outcome<N>) -> bool {
    if !a.value.is_finite() {
        return false;
    }
    if !b.value.is_finite() {
        return true;
    }
    let margin = 1e-9 * b.value.abs().max(1.0);
    match (a.status == Status::Converged, b.status == Status::Converged) {
        (true, false) => a.value < b.value + margin,
        (false, true) => a.value < b.value - margin,
        _ => a.value < b.value,
    }
}

/// Runs BFGS from each start and, when none converges, Nelder–Mead from the best point
/// followed by BFGS again.
fn explore<const N: usize, O: Objective<N>>(
    obj: &mut O,
    starts: &[[f64; N]],
    settings: &Settings,
    iterations: &mut usize,
) -> Result<Outcome<N>, BtydError> {
    let mut best: Option<Outcome<N>> = None;
    for start in starts {
        let out = bfgs(obj, *start, None, settings);
        *iterations += out.iterations;
        // Two starts that converge to the same optimum settle it.
        let confirmed = best.as_ref().is_some_and(|b| {
            b.status == Status::Converged
                && out.status == Status::Converged
                && (out.value - b.value).abs() <= 1e-9 * b.value.abs().max(1.0)
        });
        let keep = match &best {
            None => out.value.is_finite(),
            Some(b) => better(&out, b),
        };
        if keep {
            best = Some(out);
        }
        if confirmed {
            break;
        }
    }
    let best = best.ok_or_else(|| BtydError::numerical("the log-likelihood is not finite at any starting point"))?;
    rescue(obj, best, settings, iterations)
}

/// When a run stopped short of convergence (but not by divergence), restarts with Nelder–Mead
/// and polishes with BFGS, keeping whichever is better.
fn rescue<const N: usize, O: Objective<N>>(
    obj: &mut O,
    best: Outcome<N>,
    settings: &Settings,
    iterations: &mut usize,
) -> Result<Outcome<N>, BtydError> {
    if best.status == Status::Converged || matches!(best.status, Status::Diverged { .. }) {
        return Ok(best);
    }
    let (theta, _, used) = nelder_mead(obj, best.theta, 0.5, 20 * settings.max_iterations);
    *iterations += used;
    let out = bfgs(obj, theta, None, settings);
    *iterations += out.iterations;
    if better(&out, &best) {
        Ok(out)
    } else {
        Ok(best)
    }
}

/// Fits: explores the starts (on the subsample `sub` when given, whose log-likelihood is about
/// `1 / ratio` of the full one), polishes on all customers, and explains any failure.
pub(crate) fn estimate<const N: usize, O: Objective<N>>(
    full: &mut O,
    sub: Option<(&mut O, f64)>,
    starts: &[[f64; N]],
    params: &[ParamInfo; N],
    options: &FitOptions,
) -> Result<Estimate<N>, BtydError> {
    let settings = options.settings();
    let mut iterations = 0;
    let best = match sub {
        None => explore(full, starts, &settings, &mut iterations)?,
        Some((sub, ratio)) => {
            let found = explore(sub, starts, &settings, &mut iterations)?;
            if matches!(found.status, Status::Diverged { .. }) {
                found
            } else {
                let h0 = found.h_inv.map(|row| row.map(|v| v / ratio));
                let out = bfgs(full, found.theta, Some(h0), &settings);
                iterations += out.iterations;
                if out.status == Status::NonFinite {
                    return Err(BtydError::numerical("the log-likelihood is not finite at the subsample estimate"));
                }
                rescue(full, out, &settings, &mut iterations)?
            }
        }
    };
    Ok(finish(&best, iterations, params))
}

fn finish<const N: usize>(out: &Outcome<N>, iterations: usize, params: &[ParamInfo; N]) -> Estimate<N> {
    let gmax = out.grad.iter().fold(0.0f64, |m, g| m.max(g.abs()));
    let edge = out
        .theta
        .iter()
        .zip(params)
        .position(|(t, p)| t.abs() > if p.scale { MAX_ABS_LOG_PARAM } else { MAX_ABS_LOG_SHAPE });
    let describe_edge = |index: usize| {
        let name = params.get(index).map_or("?", |p| p.name);
        let value = out.theta.get(index).copied().unwrap_or(f64::NAN).exp();
        format!(
            "parameter `{name}` ran off to `{}`: the likelihood keeps improving towards the edge of the parameter space, so the data do not identify this model",
            Sci(value)
        )
    };
    let message = match (out.status, edge) {
        (Status::Diverged { index }, _) => Some(describe_edge(index)),
        (_, Some(index)) => Some(describe_edge(index)),
        (Status::Converged, None) => None,
        (Status::IterationLimit, None) => {
            Some(format!("no convergence within the iteration limit: largest gradient component `{}`", Sci(gmax)))
        }
        (Status::LineSearchFailed, None) => {
            Some(format!("the line search found no better point: largest gradient component `{}`", Sci(gmax)))
        }
        (Status::NonFinite, None) => Some("the log-likelihood is not finite at the starting point".to_string()),
    };
    Estimate { theta: out.theta, log_likelihood: -out.value, iterations, converged: message.is_none(), message }
}

/// Every `stride`-th observation, with the stride that leaves about [`SUBSAMPLE_SIZE`] of
/// them; `None` when the data are not larger than [`SUBSAMPLE_ABOVE`].
pub(crate) fn subsample_stride(n: usize) -> Option<usize> {
    if n > SUBSAMPLE_ABOVE {
        Some(n.div_ceil(SUBSAMPLE_SIZE).max(2))
    } else {
        None
    }
}
