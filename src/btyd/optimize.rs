//! Unconstrained minimisation for the maximum-likelihood fits.
//!
//! The models are fitted on the logarithms of their (positive) parameters, so the search space
//! is all of `Rᴺ`. Two methods:
//!
//! * [`bfgs`]: quasi-Newton with an analytic gradient, a backtracking line search (Armijo
//!   condition, safeguarded quadratic interpolation), steps capped at 2 in log space (a factor
//!   `e²` per parameter) and restarts from steepest descent when the curvature model breaks;
//! * [`nelder_mead`]: the derivative-free simplex method, used as a fallback.
//!
//! An objective returns a non-finite value where it is undefined; both methods treat that as
//! "infinitely bad" and step back.

/// A function to minimise together with its gradient.
pub(crate) trait Objective<const N: usize> {
    /// The value at `theta`, with the gradient written to `grad`; non-finite where undefined.
    fn eval(&mut self, theta: &[f64; N], grad: &mut [f64; N]) -> f64;
}

/// How a run of [`bfgs`] ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Status {
    /// The gradient met the tolerance.
    Converged,
    /// The iteration limit was reached first.
    IterationLimit,
    /// No step along the search direction decreased the objective.
    LineSearchFailed,
    /// The objective is not finite at the start.
    NonFinite,
    /// A coordinate ran past the bound on `|θ|`.
    Diverged {
        /// Which coordinate.
        index: usize,
    },
}

/// Settings shared by the methods.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    /// Iteration limit of one run.
    pub max_iterations: usize,
    /// Convergence when `max |∂f/∂θᵢ| <= gtol · max(1, |f|)`, or when the quasi-Newton step
    /// is below `1e-5` with a predicted decrease below `1e-12 · max(1, |f|)`.
    pub gtol: f64,
    /// A run stops as diverged when some `|θᵢ|` exceeds this.
    pub max_abs_theta: f64,
}

/// The result of a run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Outcome<const N: usize> {
    /// Where the run ended.
    pub theta: [f64; N],
    /// The objective there.
    pub value: f64,
    /// The gradient there.
    pub grad: [f64; N],
    /// The final inverse-Hessian approximation (BFGS only; identity otherwise).
    pub h_inv: [[f64; N]; N],
    /// Iterations used.
    pub iterations: usize,
    /// How the run ended.
    pub status: Status,
}

const MAX_STEP: f64 = 2.0;

fn identity<const N: usize>(scale: f64) -> [[f64; N]; N] {
    let mut h = [[0.0; N]; N];
    for (i, row) in h.iter_mut().enumerate() {
        if let Some(v) = row.get_mut(i) {
            *v = scale;
        }
    }
    h
}

fn dot<const N: usize>(u: &[f64; N], v: &[f64; N]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

fn max_abs<const N: usize>(u: &[f64; N]) -> f64 {
    u.iter().fold(0.0, |m, v| m.max(v.abs()))
}

fn mat_vec<const N: usize>(h: &[[f64; N]; N], v: &[f64; N]) -> [f64; N] {
    let mut out = [0.0; N];
    for (o, row) in out.iter_mut().zip(h) {
        *o = dot(row, v);
    }
    out
}

fn all_finite<const N: usize>(u: &[f64; N]) -> bool {
    u.iter().all(|v| v.is_finite())
}

pub(crate) fn gradient_converged<const N: usize>(g: &[f64; N], f: f64, gtol: f64) -> bool {
    max_abs(g) <= gtol * f.abs().max(1.0)
}

/// Minimises `obj` from `start` by BFGS. `h0` is an initial inverse-Hessian approximation
/// (e.g. from a previous run on a subsample); without it the first step is steepest descent
/// and the approximation is scaled after it.
pub(crate) fn bfgs<const N: usize, O: Objective<N>>(
    obj: &mut O,
    start: [f64; N],
    h0: Option<[[f64; N]; N]>,
    settings: &Settings,
) -> Outcome<N> {
    let mut x = start;
    let mut g = [0.0; N];
    let mut f = obj.eval(&x, &mut g);
    let mut h = h0.unwrap_or_else(|| identity(1.0));
    let mut scaled = h0.is_some();
    let mut out = Outcome { theta: x, value: f, grad: g, h_inv: h, iterations: 0, status: Status::NonFinite };
    if !f.is_finite() || !all_finite(&g) {
        return out;
    }
    let mut xn = [0.0; N];
    let mut gn = [0.0; N];
    for iteration in 0..settings.max_iterations {
        out.iterations = iteration;
        if gradient_converged(&g, f, settings.gtol) {
            out.status = Status::Converged;
            break;
        }
        let mut p = mat_vec(&h, &g).map(|v| -v);
        let mut slope = dot(&g, &p);
        if slope.is_nan() || slope >= 0.0 || !all_finite(&p) {
            h = identity(1.0);
            scaled = false;
            p = g.map(|v| -v);
            slope = dot(&g, &p);
        }
        let longest = max_abs(&p);
        // With a curvature model in hand, a negligible predicted decrease and a tiny Newton
        // step mean the optimum is reached to the precision the objective can resolve (the
        // gradient test alone can be unreachable along flat ridges of large data sets).
        if scaled && -0.5 * slope <= 1e-12 * f.abs().max(1.0) && longest <= 1e-5 {
            out.status = Status::Converged;
            break;
        }
        if longest > MAX_STEP {
            p = p.map(|v| v * MAX_STEP / longest);
            slope = dot(&g, &p);
        }
        // Backtracking line search on the Armijo condition.
        let mut step = 1.0;
        let mut fnew = f64::INFINITY;
        let mut accepted = false;
        for _ in 0..60 {
            for ((n, xi), pi) in xn.iter_mut().zip(&x).zip(&p) {
                *n = xi + step * pi;
            }
            fnew = obj.eval(&xn, &mut gn);
            if fnew.is_finite() && all_finite(&gn) && fnew <= f + 1e-4 * step * slope {
                // A step too small to move any coordinate is no progress.
                accepted = xn != x;
                break;
            }
            step = if fnew.is_finite() {
                // Minimiser of the quadratic through f, the slope and fnew, kept in [0.1, 0.5]·step.
                let denom = 2.0 * (fnew - f - slope * step);
                let q = if denom > 0.0 { -slope * step * step / denom } else { 0.5 * step };
                crate::num::clamp(q, 0.1 * step, 0.5 * step)
            } else {
                0.25 * step
            };
        }
        if !accepted {
            if max_abs(&g) <= 1e3 * settings.gtol * f.abs().max(1.0) {
                // Precision floor: no decrease is representable any more.
                out.status = Status::Converged;
                break;
            }
            if scaled {
                h = identity(1.0);
                scaled = false;
                continue;
            }
            out.status = Status::LineSearchFailed;
            break;
        }
        let s: [f64; N] = std::array::from_fn(|i| xn.get(i).copied().unwrap_or(0.0) - x.get(i).copied().unwrap_or(0.0));
        let y: [f64; N] = std::array::from_fn(|i| gn.get(i).copied().unwrap_or(0.0) - g.get(i).copied().unwrap_or(0.0));
        x = xn;
        g = gn;
        f = fnew;
        if let Some(index) = x.iter().position(|v| v.abs() > settings.max_abs_theta) {
            out.status = Status::Diverged { index };
            out.iterations = iteration + 1;
            break;
        }
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() {
            if !scaled {
                h = identity(sy / dot(&y, &y));
                scaled = true;
            }
            let hy = mat_vec(&h, &y);
            let yhy = dot(&y, &hy);
            let rho = 1.0 / sy;
            for (i, row) in h.iter_mut().enumerate() {
                let (si, hyi) = (s.get(i).copied().unwrap_or(0.0), hy.get(i).copied().unwrap_or(0.0));
                for ((hij, sj), hyj) in row.iter_mut().zip(&s).zip(&hy) {
                    *hij += rho * ((1.0 + rho * yhy) * si * sj - hyi * sj - si * hyj);
                }
            }
        }
        out.iterations = iteration + 1;
        out.status = Status::IterationLimit;
    }
    if out.status == Status::IterationLimit && gradient_converged(&g, f, settings.gtol) {
        out.status = Status::Converged;
    }
    out.theta = x;
    out.value = f;
    out.grad = g;
    out.h_inv = h;
    out
}

/// Minimises `obj` from `start` by the Nelder–Mead simplex method (reflection 1, expansion 2,
/// contraction ½, shrink ½), with an initial simplex of side `scale`. Returns the best vertex,
/// its value and the number of iterations.
pub(crate) fn nelder_mead<const N: usize, O: Objective<N>>(
    obj: &mut O,
    start: [f64; N],
    scale: f64,
    max_iterations: usize,
) -> ([f64; N], f64, usize) {
    let mut grad = [0.0; N];
    let mut value = |obj: &mut O, x: &[f64; N]| {
        let v = obj.eval(x, &mut grad);
        if v.is_finite() {
            v
        } else {
            f64::INFINITY
        }
    };
    let mut simplex: Vec<([f64; N], f64)> = Vec::with_capacity(N + 1);
    let f0 = value(obj, &start);
    simplex.push((start, f0));
    for i in 0..N {
        let mut v = start;
        if let Some(c) = v.get_mut(i) {
            *c += scale;
        }
        let fv = value(obj, &v);
        simplex.push((v, fv));
    }
    let mut iterations = 0;
    while iterations < max_iterations {
        iterations += 1;
        sort_simplex(&mut simplex);
        let (best, worst) = match (simplex.first(), simplex.last()) {
            (Some(b), Some(w)) => (*b, *w),
            _ => break,
        };
        let spread = worst.1 - best.1;
        let size = simplex
            .iter()
            .map(|(v, _)| v.iter().zip(&best.0).fold(0.0f64, |m, (a, b)| m.max((a - b).abs())))
            .fold(0.0, f64::max);
        if best.1.is_finite() && spread <= 1e-13 * (1.0 + best.1.abs()) && size <= 1e-9 {
            break;
        }
        let mut centroid = [0.0; N];
        for (v, _) in simplex.iter().take(N) {
            for (c, vi) in centroid.iter_mut().zip(v) {
                *c += vi / N as f64;
            }
        }
        let along = |t: f64| -> [f64; N] {
            std::array::from_fn(|i| {
                let c = centroid.get(i).copied().unwrap_or(0.0);
                c + t * (worst.0.get(i).copied().unwrap_or(0.0) - c)
            })
        };
        let second_worst = simplex.get(N.saturating_sub(1)).map_or(f64::INFINITY, |v| v.1);
        let reflected = along(-1.0);
        let fr = value(obj, &reflected);
        let replacement = if fr < best.1 {
            let expanded = along(-2.0);
            let fe = value(obj, &expanded);
            if fe < fr {
                Some((expanded, fe))
            } else {
                Some((reflected, fr))
            }
        } else if fr < second_worst {
            Some((reflected, fr))
        } else {
            let (point, fc) = if fr < worst.1 {
                let p = along(-0.5);
                let fp = value(obj, &p);
                (p, fp)
            } else {
                let p = along(0.5);
                let fp = value(obj, &p);
                (p, fp)
            };
            if fc < worst.1.min(fr) {
                Some((point, fc))
            } else {
                None
            }
        };
        match replacement {
            Some(vertex) => {
                if let Some(last) = simplex.last_mut() {
                    *last = vertex;
                }
            }
            None => {
                for vertex in simplex.iter_mut().skip(1) {
                    let v: [f64; N] = std::array::from_fn(|i| {
                        let b = best.0.get(i).copied().unwrap_or(0.0);
                        b + 0.5 * (vertex.0.get(i).copied().unwrap_or(0.0) - b)
                    });
                    *vertex = (v, value(obj, &v));
                }
            }
        }
    }
    sort_simplex(&mut simplex);
    simplex.first().map_or((start, f64::INFINITY, iterations), |(v, f)| (*v, *f, iterations))
}

/// Order the simplex by value (stable). An insertion sort: the simplex has N + 1 ≤ 5 vertices,
/// and a library sort would add a copy of its code to the wasm module per objective.
fn sort_simplex<V>(simplex: &mut [(V, f64)]) {
    for i in 1..simplex.len() {
        let mut j = i;
        while j > 0 && simplex[j - 1].1.total_cmp(&simplex[j].1) == std::cmp::Ordering::Greater {
            simplex.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Rosenbrock function, a classic narrow curved valley.
    struct Rosenbrock;
    impl Objective<2> for Rosenbrock {
        fn eval(&mut self, t: &[f64; 2], g: &mut [f64; 2]) -> f64 {
            let [x, y] = *t;
            g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
            g[1] = 200.0 * (y - x * x);
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        }
    }

    /// Undefined (NaN) left of x = 0.5: the line search must step back.
    struct Walled;
    impl Objective<1> for Walled {
        fn eval(&mut self, t: &[f64; 1], g: &mut [f64; 1]) -> f64 {
            if t[0] < 0.5 {
                return f64::NAN;
            }
            g[0] = 2.0 * (t[0] - 1.0);
            (t[0] - 1.0).powi(2)
        }
    }

    const SETTINGS: Settings = Settings { max_iterations: 500, gtol: 1e-10, max_abs_theta: 50.0 };

    #[test]
    fn bfgs_solves_rosenbrock() {
        let out = bfgs(&mut Rosenbrock, [-1.2, 1.0], None, &SETTINGS);
        assert_eq!(out.status, Status::Converged);
        assert!((out.theta[0] - 1.0).abs() < 1e-6 && (out.theta[1] - 1.0).abs() < 1e-6, "{:?}", out.theta);
    }

    #[test]
    fn bfgs_steps_back_from_undefined_regions() {
        let out = bfgs(&mut Walled, [8.0], None, &SETTINGS);
        assert_eq!(out.status, Status::Converged);
        assert!((out.theta[0] - 1.0).abs() < 1e-8);
        let out = bfgs(&mut Walled, [0.0], None, &SETTINGS);
        assert_eq!(out.status, Status::NonFinite);
    }

    #[test]
    fn nelder_mead_solves_rosenbrock() {
        let (x, f, _) = nelder_mead(&mut Rosenbrock, [-1.2, 1.0], 0.5, 5000);
        assert!(f < 1e-12, "{f}");
        assert!((x[0] - 1.0).abs() < 1e-5);
    }
}
