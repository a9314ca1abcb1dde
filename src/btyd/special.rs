//! Special functions: log-gamma, digamma, log-beta, stable log-sum-exp helpers and the Gauss
//! hypergeometric series the models need.
//!
//! Everything here is written for positive real arguments (the only ones the models use) and
//! returns NaN, never panics, outside that domain.

/// `ln(2π)/2`.
const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;

/// Natural log of the gamma function for `x > 0`; NaN for `x <= 0` or NaN, `+inf` at `+inf`.
///
/// The argument is shifted to `x >= 10` with `Γ(x+1) = xΓ(x)` and the Stirling series is
/// summed to the `x^-15` term, which gives about 15 significant digits of absolute accuracy.
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut y = x;
    let mut product = 1.0;
    while y < 10.0 {
        product *= y;
        y += 1.0;
    }
    let shift = if product == 1.0 { 0.0 } else { product.ln() };
    stirling(y) - shift
}

fn stirling(y: f64) -> f64 {
    let inv = 1.0 / y;
    let inv2 = inv * inv;
    // Bernoulli terms B_{2k} / (2k (2k-1) y^{2k-1}), k = 1..8.
    let series = inv
        * (1.0 / 12.0
            + inv2
                * (-1.0 / 360.0
                    + inv2
                        * (1.0 / 1260.0
                            + inv2
                                * (-1.0 / 1680.0
                                    + inv2
                                        * (1.0 / 1188.0
                                            + inv2
                                                * (-691.0 / 360_360.0
                                                    + inv2 * (1.0 / 156.0 + inv2 * (-3617.0 / 122_400.0))))))));
    (y - 0.5) * y.ln() - y + HALF_LN_2PI + series
}

/// The digamma function `ψ(x) = d ln Γ(x) / dx` for `x > 0`; NaN outside.
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    let mut y = x;
    let mut acc = 0.0;
    while y < 10.0 {
        acc -= 1.0 / y;
        y += 1.0;
    }
    let inv2 = 1.0 / (y * y);
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * (691.0 / 32_760.0 - inv2 / 12.0))))));
    acc + y.ln() - 0.5 / y - series
}

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b)`.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b)
}

/// `ln(1 + e^y)` without overflow or loss of precision.
pub(crate) fn softplus(y: f64) -> f64 {
    if y > 0.0 {
        y + (-y).exp().ln_1p()
    } else {
        y.exp().ln_1p()
    }
}

/// `1 / (1 + e^-y)` without overflow.
pub(crate) fn sigmoid(y: f64) -> f64 {
    if y >= 0.0 {
        1.0 / (1.0 + (-y).exp())
    } else {
        let e = y.exp();
        e / (1.0 + e)
    }
}

/// `ln(e^u + e^v)` without overflow.
pub(crate) fn log_add_exp(u: f64, v: f64) -> f64 {
    if u == f64::NEG_INFINITY {
        return v;
    }
    if v == f64::NEG_INFINITY {
        return u;
    }
    let (hi, lo) = if u > v { (u, v) } else { (v, u) };
    hi + (lo - hi).exp().ln_1p()
}

/// `(1 − e^{k y}) / k`, continuous at `k = 0` where it equals `−y`.
pub(crate) fn one_minus_exp_over(k: f64, y: f64) -> f64 {
    let ky = k * y;
    if ky.abs() < 1e-8 {
        // Two terms of the Taylor series of -expm1(ky)/k.
        -y * (1.0 + 0.5 * ky)
    } else {
        -ky.exp_m1() / k
    }
}

/// The most terms a hypergeometric series may use before it is declared divergent.
pub(crate) const MAX_SERIES_TERMS: usize = 1_000_000;

/// Value of `₂F₁(1, b; c; z)` and its partial derivatives with respect to `b`, `c` and `z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Hyp1 {
    /// The value.
    pub value: f64,
    /// `∂/∂b`.
    pub d_b: f64,
    /// `∂/∂c`.
    pub d_c: f64,
    /// `∂/∂z`.
    pub d_z: f64,
}

/// `₂F₁(1, b; c; z)` for `0 < b < c` and `0 <= z < 1`, with its derivatives.
///
/// All terms are positive and the ratio of consecutive terms, `z (b+n)/(c+n)`, stays below `z`,
/// so the tail after a term `t` is at most `t z / (1 − z)`: the sum stops when that bound is
/// negligible. Returns `None` outside the domain or when more than [`MAX_SERIES_TERMS`] would
/// be needed (`z` within about `4e-5` of 1).
pub(crate) fn hyp2f1_unit_a(b: f64, c: f64, z: f64) -> Option<Hyp1> {
    if !(b > 0.0 && c > b && (0.0..1.0).contains(&z) && c.is_finite()) {
        return None;
    }
    let one_minus = 1.0 - z;
    let tail_factor = z / (one_minus * one_minus);
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut db = 0.0; // Σ_{k<n} 1/(b+k): d ln(term_n)/db
    let mut dc = 0.0; // −Σ_{k<n} 1/(c+k): d ln(term_n)/dc
    let mut sum_b = 0.0;
    let mut sum_c = 0.0;
    let mut sum_z = 0.0; // Σ n term_n / z, accumulated without dividing by z
    let mut n = 0.0_f64;
    for _ in 0..MAX_SERIES_TERMS {
        let q = (b + n) / (c + n);
        sum_z += (n + 1.0) * term * q;
        db += 1.0 / (b + n);
        dc -= 1.0 / (c + n);
        term *= q * z;
        sum += term;
        sum_b += term * db;
        sum_c += term * dc;
        n += 1.0;
        if term == 0.0 || term * (n + 2.0 + db - dc) * tail_factor <= 1e-17 * sum {
            return Some(Hyp1 { value: sum, d_b: sum_b, d_c: sum_c, d_z: sum_z });
        }
    }
    None
}

/// `ln ₂F₁(a, b; c; z)` for `0 <= z < 1` by the plain power series, when all terms are
/// non-negative (`a, b, c > 0`). Terms may grow before they decay; the partial sum is rescaled
/// so that nothing overflows, and the terms after the leading 1 are summed apart so that the
/// result keeps its relative precision when `F` is close to 1. Returns `None` outside that
/// domain or without convergence.
pub(crate) fn ln_hyp2f1_positive(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z)) {
        return None;
    }
    if !(a.is_finite() && b.is_finite() && c.is_finite()) {
        return None;
    }
    let mut term = 1.0;
    let mut tail = 0.0; // Σ_{n≥1} term_n, divided by e^ln_scale
    let mut ln_scale = 0.0;
    let mut n = 0.0_f64;
    for _ in 0..MAX_SERIES_TERMS {
        let ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        tail += term;
        n += 1.0;
        if tail > 1e250 {
            term *= 1e-250;
            tail *= 1e-250;
            ln_scale += 250.0 * std::f64::consts::LN_10;
        }
        // Once the ratio is below 1 and no longer growing past z, the tail is geometric.
        let bound = ratio.max(z);
        let whole = if ln_scale > 0.0 { tail } else { 1.0 + tail };
        if bound < 1.0 && (term == 0.0 || term * bound / (1.0 - bound) <= 1e-17 * whole) {
            return Some(if ln_scale > 0.0 { ln_scale + tail.ln() } else { tail.ln_1p() });
        }
    }
    None
}

/// `R = Σ_{n≥1} (A)_n (a)_{n−1} / ((C+1)_{n−1} n!) zⁿ`, which equals
/// `C (₂F₁(A, a−1; C; z) − 1) / (a − 1)` but stays finite at `a = 1` and at `C = 0`.
///
/// Needs `a > 0`, `C + 1 > 0` and `0 <= z < 1`. For `A > −1` every term has the sign of `A`;
/// otherwise the first terms alternate, and the result is refused (`None`) when cancellation
/// would cost more than 8 significant digits. `None` also without convergence.
pub(crate) fn hyp2f1_bg_tail(big_a: f64, a: f64, big_c: f64, z: f64) -> Option<f64> {
    if !(a > 0.0 && big_c + 1.0 > 0.0 && (0.0..1.0).contains(&z)) {
        return None;
    }
    if !(a.is_finite() && big_a.is_finite() && big_c.is_finite()) {
        return None;
    }
    let mut term = big_a * z;
    let mut sum = term;
    let mut largest = term.abs();
    let mut n = 1.0_f64;
    let mut converged = false;
    for _ in 0..MAX_SERIES_TERMS {
        if term == 0.0 {
            converged = true;
            break;
        }
        let ratio = (big_a + n) * (a - 1.0 + n) / ((big_c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        largest = largest.max(term.abs());
        n += 1.0;
        if !sum.is_finite() {
            return None;
        }
        let bound = ratio.abs().max(z);
        if bound < 1.0 && term.abs() * bound / (1.0 - bound) <= 1e-17 * sum.abs() {
            converged = true;
            break;
        }
    }
    if converged && largest <= 1e8 * sum.abs() {
        Some(sum)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn ln_gamma_known_values() {
        assert!(close(ln_gamma(1.0), 0.0, 1e-14));
        assert!(close(ln_gamma(2.0), 0.0, 1e-14));
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14));
        assert!(close(ln_gamma(10.0), 12.801_827_480_081_469, 1e-15));
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-15));
        assert!(close(ln_gamma(1e-8), 18.420_680_738_180_21, 1e-14));
        assert!(close(ln_gamma(3.7), 1.428_072_326_665_388_3, 1e-14));
        assert!(close(ln_gamma(1e6), 12_815_504.569_147_61, 1e-15));
        assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.0).is_nan() && ln_gamma(f64::NAN).is_nan());
    }

    #[test]
    fn digamma_known_values() {
        assert!(close(digamma(1.0), -0.577_215_664_901_532_9, 1e-14));
        assert!(close(digamma(0.5), -1.963_510_026_021_423_5, 1e-14));
        assert!(close(digamma(10.0), 2.251_752_589_066_721, 1e-14));
        assert!(close(digamma(0.01), -100.560_885_457_868_68, 1e-13));
        // Derivative of ln_gamma by central difference.
        for &x in &[0.3, 1.7, 4.2, 12.5, 480.0] {
            let h = 1e-5 * x;
            let fd = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(close(digamma(x), fd, 1e-7), "x {x}");
        }
    }

    #[test]
    fn log_helpers() {
        assert!(close(softplus(0.0), std::f64::consts::LN_2, 1e-15));
        assert_eq!(softplus(1000.0), 1000.0);
        assert!(softplus(-1000.0) >= 0.0);
        assert!(close(sigmoid(0.0), 0.5, 1e-15));
        assert_eq!(sigmoid(-1000.0), 0.0);
        assert!(close(log_add_exp(1000.0, 1000.0), 1000.0 + std::f64::consts::LN_2, 1e-15));
        assert!(close(one_minus_exp_over(0.0, 2.0), -2.0, 1e-15));
        assert!(close(one_minus_exp_over(1e-12, 2.0), -2.0, 1e-11));
        assert!(close(one_minus_exp_over(0.5, -2.0), (1.0 - (-1.0f64).exp()) / 0.5, 1e-15));
    }

    #[test]
    fn hypergeometric_identities() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z.
        for &z in &[0.0, 0.1, 0.5, 0.9, 0.999] {
            let h = hyp2f1_unit_a(1.0, 2.0, z).unwrap_or(Hyp1 { value: f64::NAN, d_b: 0.0, d_c: 0.0, d_z: 0.0 });
            let exact = if z == 0.0 { 1.0 } else { -(1.0 - z).ln() / z };
            assert!(close(h.value, exact, 1e-13), "z {z}: {} vs {exact}", h.value);
            let l = ln_hyp2f1_positive(1.0, 1.0, 2.0, z).unwrap_or(f64::NAN);
            assert!(close(l, exact.ln(), 1e-13));
        }
        // 2F1(a, b; b; z) = (1 - z)^-a.
        let l = ln_hyp2f1_positive(3.5, 2.0, 2.0, 0.7).unwrap_or(f64::NAN);
        assert!(close(l, -3.5 * 0.3f64.ln(), 1e-13));
        // Growing terms: 2F1(500, 2; 2; 0.5) = 2^500 does not overflow in log space.
        let l = ln_hyp2f1_positive(500.0, 2.0, 2.0, 0.5).unwrap_or(f64::NAN);
        assert!(close(l, 500.0 * std::f64::consts::LN_2, 1e-12));
        // C (2F1(A, a-1; C; z) - 1)/(a-1) against the plain series.
        let (big_a, a, big_c, z) = (2.3_f64, 1.7_f64, 5.1_f64, 0.4_f64);
        let direct = big_c * ln_hyp2f1_positive(big_a, a - 1.0, big_c, z).unwrap_or(f64::NAN).exp_m1() / (a - 1.0);
        let q = hyp2f1_bg_tail(big_a, a, big_c, z).unwrap_or(f64::NAN);
        assert!(close(q, direct, 1e-12), "{q} vs {direct}");
        // Heavy alternation is refused rather than returned imprecisely.
        assert!(hyp2f1_bg_tail(-80.5, 3.0, 2.0, 0.9).is_none());
        // F close to 1 keeps its relative precision.
        let l = ln_hyp2f1_positive(1.0, 1.0, 2.0, 1e-9).unwrap_or(f64::NAN);
        assert!(close(l, (-(-1e-9f64).ln_1p() / 1e-9).ln(), 1e-6) && (l / 5e-10 - 1.0).abs() < 1e-6);
        assert!(hyp2f1_unit_a(1.0, 2.0, 1.0).is_none());
        assert!(hyp2f1_unit_a(1.0, 2.0, f64::NAN).is_none());
    }

    #[test]
    fn hyp1_derivatives_match_finite_differences() {
        let (b, c, z) = (3.3, 4.9, 0.62);
        let h = hyp2f1_unit_a(b, c, z).map(|h| h.value);
        let at = |b: f64, c: f64, z: f64| hyp2f1_unit_a(b, c, z).map_or(f64::NAN, |h| h.value);
        let d = hyp2f1_unit_a(b, c, z).unwrap_or(Hyp1 { value: f64::NAN, d_b: 0.0, d_c: 0.0, d_z: 0.0 });
        assert!(h.is_some());
        let e = 1e-6;
        assert!(close(d.d_b, (at(b + e, c, z) - at(b - e, c, z)) / (2.0 * e), 1e-7));
        assert!(close(d.d_c, (at(b, c + e, z) - at(b, c - e, z)) / (2.0 * e), 1e-7));
        assert!(close(d.d_z, (at(b, c, z + e) - at(b, c, z - e)) / (2.0 * e), 1e-7));
    }
}
