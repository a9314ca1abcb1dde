//! Ordinary least squares on sparse count regressors with an intercept, and customer-clustered
//! (CR1) sandwich standard errors.
//!
//! The normal equations `X'X β = X'y` are small (an intercept and at most a few dozen event
//! kinds) and are built in one pass over the observations; a second pass sums each cluster's
//! score `Σ x_i e_i` for the sandwich `V = c (X'X)⁻¹ (Σ_g s_g s_g') (X'X)⁻¹` with
//! `c = G/(G−1) · (N−1)/(N−K)`. Columns are taken in the order given: a column whose values are
//! all zero is [`Est::Absent`]; one whose Cholesky pivot, after the columns accepted before it,
//! is at most [`TOL`] of its diagonal (it is, up to rounding, a combination of them) is
//! [`Est::Collinear`] and left out of the fit.

/// Responses fitted on one design (NPS: the change of the score, of the promoter indicator and
/// of the detractor indicator; CSAT and CES use the first).
pub(crate) const RESPONSES: usize = 3;

/// Relative tolerance of a Cholesky pivot: `1 − R²` of a column on the columns before it.
pub(crate) const TOL: f64 = 1e-9;

/// Observations: a cluster, the responses and sparse counts `(column key, count)` per row. Rows
/// of one cluster must be contiguous (they are pushed customer by customer).
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    cluster: Vec<u32>,
    y: Vec<[i8; RESPONSES]>,
    /// Row `i`'s cells are `cells[start[i]..start[i + 1]]`.
    start: Vec<u32>,
    /// `key << 24 | count`.
    cells: Vec<u32>,
}

impl Default for Sample {
    fn default() -> Self {
        Sample { cluster: Vec::new(), y: Vec::new(), start: vec![0], cells: Vec::new() }
    }
}

const COUNT_MASK: u32 = (1 << 24) - 1;

impl Sample {
    /// Rows.
    pub(crate) fn len(&self) -> usize {
        self.cluster.len()
    }

    /// Add a row: its cluster, responses and non-zero counts by key (`key` < 256).
    pub(crate) fn push(&mut self, cluster: u32, y: [i8; RESPONSES], x: impl Iterator<Item = (usize, u32)>) {
        self.cluster.push(cluster);
        self.y.push(y);
        for (k, n) in x {
            if n > 0 && k < 256 {
                self.cells.push((k as u32) << 24 | n.min(COUNT_MASK));
            }
        }
        self.start.push(self.cells.len() as u32);
    }

    /// The cells of row `i` as `(key, count)`.
    fn row(&self, i: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
        self.cells[a..b].iter().map(|c| ((c >> 24) as usize, f64::from(c & COUNT_MASK)))
    }
}

/// The estimate of one column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Est {
    /// The column is all zero.
    Absent,
    /// The column is a combination of the intercept and the columns before it.
    Collinear,
    /// Estimated: coefficients per response and their clustered standard errors (`None` when
    /// they cannot be computed: fewer than two clusters, or no residual degrees of freedom).
    Fitted {
        /// Coefficient per response.
        est: [f64; RESPONSES],
        /// Standard error per response.
        se: Option<[f64; RESPONSES]>,
    },
}

/// A fit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    /// Per requested column, in the order given.
    pub(crate) cols: Vec<Est>,
    /// The intercept per response (0 without rows).
    pub(crate) intercept: [f64; RESPONSES],
    /// The two-sided 95 % critical value, Student t with `G − 1` degrees of freedom.
    pub(crate) crit: f64,
}

/// Fit `y_r` on an intercept and the columns `keys` (in this order) for the first `responses`
/// responses.
pub(crate) fn fit(s: &Sample, keys: &[usize], responses: usize) -> Fit {
    let r_n = responses.clamp(1, RESPONSES);
    let p = 1 + keys.len();
    let mut pos = [usize::MAX; 256];
    for (j, k) in keys.iter().enumerate() {
        if *k < 256 && pos[*k] == usize::MAX {
            pos[*k] = j + 1;
        }
    }
    let n = s.len();
    // Pass 1: X'X and X'y.
    let mut a = vec![0.0f64; p * p];
    let mut b = vec![0.0f64; p * RESPONSES];
    let mut xs: Vec<(usize, f64)> = Vec::new();
    let design = |i: usize, xs: &mut Vec<(usize, f64)>| {
        xs.clear();
        xs.push((0, 1.0));
        xs.extend(s.row(i).filter(|(k, _)| pos[*k] != usize::MAX).map(|(k, v)| (pos[k], v)));
    };
    for i in 0..n {
        design(i, &mut xs);
        let y = s.y[i];
        for &(j, xj) in &xs {
            for &(m, xm) in &xs {
                a[j * p + m] += xj * xm;
            }
            for r in 0..r_n {
                b[j * RESPONSES + r] += xj * f64::from(y[r]);
            }
        }
    }
    let mut cols = vec![Est::Absent; keys.len()];
    let none = Fit { cols: cols.clone(), intercept: [0.0; RESPONSES], crit: 0.0 };
    if n == 0 {
        return none;
    }
    // Sequential Cholesky of X'X, leaving out all-zero and collinear columns.
    let mut acc: Vec<usize> = Vec::new();
    let mut l = vec![0.0f64; p * p];
    for j in 0..p {
        let diag = a[j * p + j];
        if diag <= 0.0 {
            continue;
        }
        let q = acc.len();
        for (bi, &i) in acc.iter().enumerate() {
            let mut v = a[j * p + i];
            for m in 0..bi {
                v -= l[q * p + m] * l[bi * p + m];
            }
            l[q * p + bi] = v / l[bi * p + bi];
        }
        let mut d = diag;
        for m in 0..q {
            d -= l[q * p + m] * l[q * p + m];
        }
        if d.is_nan() || d <= TOL * diag || !d.is_finite() {
            if j > 0 {
                cols[j - 1] = Est::Collinear;
            }
            l[q * p..q * p + q].iter_mut().for_each(|x| *x = 0.0);
            if j == 0 {
                return none;
            }
            continue;
        }
        l[q * p + q] = d.sqrt();
        acc.push(j);
    }
    let q = acc.len();
    // (X'X)⁻¹ over the accepted columns: L⁻¹ by forward substitution, then L⁻ᵀ L⁻¹.
    let mut li = vec![0.0f64; q * q];
    for c in 0..q {
        for r in c..q {
            let mut v = if r == c { 1.0 } else { 0.0 };
            for m in c..r {
                v -= l[r * p + m] * li[m * q + c];
            }
            li[r * q + c] = v / l[r * p + r];
        }
    }
    let mut inv = vec![0.0f64; q * q];
    for r in 0..q {
        for c in 0..q {
            inv[r * q + c] = (r.max(c)..q).map(|m| li[m * q + r] * li[m * q + c]).sum();
        }
    }
    let mut beta = vec![[0.0f64; RESPONSES]; q];
    for (r, br) in beta.iter_mut().enumerate() {
        for resp in 0..r_n {
            br[resp] = (0..q).map(|c| inv[r * q + c] * b[acc[c] * RESPONSES + resp]).sum();
        }
    }
    // Pass 2: each cluster's score Σ x_i e_i, and the meat Σ_g s_g s_g'.
    let mut apos = vec![usize::MAX; p];
    for (k, j) in acc.iter().enumerate() {
        apos[*j] = k;
    }
    let mut meat = vec![0.0f64; RESPONSES * q * q];
    let mut score = vec![0.0f64; q * RESPONSES];
    let mut touched: Vec<usize> = Vec::new();
    let mut seen = vec![false; q];
    let mut clusters = 0u32;
    let mut flush = |score: &mut [f64], touched: &mut Vec<usize>, seen: &mut [bool]| {
        for resp in 0..r_n {
            let m = &mut meat[resp * q * q..(resp + 1) * q * q];
            for &u in touched.iter() {
                for &v in touched.iter() {
                    m[u * q + v] += score[u * RESPONSES + resp] * score[v * RESPONSES + resp];
                }
            }
        }
        for &u in touched.iter() {
            seen[u] = false;
            score[u * RESPONSES..(u + 1) * RESPONSES].iter_mut().for_each(|x| *x = 0.0);
        }
        touched.clear();
    };
    for i in 0..n {
        if i == 0 || s.cluster[i] != s.cluster[i - 1] {
            flush(&mut score, &mut touched, &mut seen);
            clusters += 1;
        }
        design(i, &mut xs);
        xs.retain_mut(|(j, _)| {
            *j = apos[*j];
            *j != usize::MAX
        });
        let y = s.y[i];
        for resp in 0..r_n {
            let fitted: f64 = xs.iter().map(|(j, x)| x * beta[*j][resp]).sum();
            let e = f64::from(y[resp]) - fitted;
            for &(j, x) in &xs {
                score[j * RESPONSES + resp] += x * e;
            }
        }
        for &(j, _) in &xs {
            if !seen[j] {
                seen[j] = true;
                touched.push(j);
            }
        }
    }
    flush(&mut score, &mut touched, &mut seen);
    let (g, nf, qf) = (f64::from(clusters), n as f64, q as f64);
    let factor = (clusters >= 2 && n > q).then(|| g / (g - 1.0) * (nf - 1.0) / (nf - qf));
    let se_of = |k: usize| -> Option<[f64; RESPONSES]> {
        let c = factor?;
        let mut out = [0.0; RESPONSES];
        for (resp, o) in out.iter_mut().enumerate().take(r_n) {
            let m = &meat[resp * q * q..(resp + 1) * q * q];
            let mut v = 0.0;
            for u in 0..q {
                let w: f64 = (0..q).map(|t| m[u * q + t] * inv[t * q + k]).sum();
                v += inv[k * q + u] * w;
            }
            let sd = (c * v).max(0.0).sqrt();
            if !sd.is_finite() {
                return None;
            }
            *o = sd;
        }
        Some(out)
    };
    for (k, &j) in acc.iter().enumerate().skip(1) {
        let est = beta[k];
        cols[j - 1] = if est.iter().all(|x| x.is_finite()) { Est::Fitted { est, se: se_of(k) } } else { Est::Collinear };
    }
    let intercept = if beta[0].iter().all(|x| x.is_finite()) { beta[0] } else { [0.0; RESPONSES] };
    Fit { cols, intercept, crit: t975(clusters.saturating_sub(1)) }
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (exact to 3 decimals up to
/// 30, then the Cornish–Fisher expansion around the normal quantile); the normal's for `df` 0.
pub(crate) fn t975(df: u32) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110,
        2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    let z = 1.959_963_984_540_054_f64;
    match df {
        0 => z,
        1..=30 => TABLE[df as usize - 1],
        _ => {
            let v = f64::from(df);
            let (z3, z5, z7, z9) = (z.powi(3), z.powi(5), z.powi(7), z.powi(9));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
                + (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / (92160.0 * v.powi(4))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn fitted(e: Est) -> ([f64; RESPONSES], [f64; RESPONSES]) {
        match e {
            Est::Fitted { est, se: Some(se) } => (est, se),
            other => panic!("not fitted: {other:?}"),
        }
    }

    #[test]
    fn ols_and_cr1_against_a_hand_computed_example() {
        // y = 1, 2, 4 on x = 0, 1, 2, each its own cluster: slope 3/2, intercept 5/6; residuals
        // 1/6, −1/3, 1/6; HC0 variance of the slope Σ(x − x̄)² e² / Sxx² = (2/36)/4 = 1/72;
        // CR1 multiplies by G/(G−1) · (N−1)/(N−K) = 3/2 · 2 = 3: 1/24.
        let mut s = Sample::default();
        for (c, (x, y)) in [(0u32, 1i8), (1, 2), (2, 4)].into_iter().enumerate() {
            s.push(c as u32, [y, 0, 0], std::iter::once((7usize, x)));
        }
        let f = fit(&s, &[7], 1);
        let (est, se) = fitted(f.cols[0]);
        assert!(close(est[0], 1.5, 1e-12), "{est:?}");
        assert!(close(f.intercept[0], 5.0 / 6.0, 1e-12));
        assert!(close(se[0], (1.0f64 / 24.0).sqrt(), 1e-12), "{se:?}");
        assert_eq!(f.crit, 4.303);
    }

    #[test]
    fn clustering_pools_the_scores_of_a_customer() {
        // Two rows per cluster with opposite residuals cancel within the cluster: the clustered
        // variance is smaller than the row-wise one; the coefficients are the same.
        let rows = [(0u32, 0u32, 1i8), (0, 1, 3), (1, 0, 0), (1, 1, 1), (2, 2, 4), (2, 0, 1), (3, 1, 2), (3, 2, 3)];
        let mut by_cluster = Sample::default();
        let mut by_row = Sample::default();
        for (i, (c, x, y)) in rows.into_iter().enumerate() {
            by_cluster.push(c, [y, 0, 0], std::iter::once((0usize, x)));
            by_row.push(i as u32, [y, 0, 0], std::iter::once((0usize, x)));
        }
        let (a, sa) = fitted(fit(&by_cluster, &[0], 1).cols[0]);
        let (b, sb) = fitted(fit(&by_row, &[0], 1).cols[0]);
        assert!(close(a[0], b[0], 1e-12));
        assert!(sa[0] > 0.0 && sb[0] > 0.0 && sa[0] != sb[0]);
    }

    #[test]
    fn a_collinear_column_is_left_out_and_the_rest_is_fitted() {
        // Key 2 is twice key 1 in every row; key 3 is all zero; key 4 is separable.
        let mut s = Sample::default();
        let data = [(0u32, 1i8, 0u32), (1, 2, 1), (2, 4, 0), (1, 3, 1), (0, 0, 1), (2, 5, 0)];
        for (i, (x, y, z)) in data.into_iter().enumerate() {
            s.push(i as u32, [y, 0, 0], [(1usize, x), (2, 2 * x), (4, z)].into_iter());
        }
        let f = fit(&s, &[1, 2, 3, 4], 1);
        assert!(matches!(f.cols[0], Est::Fitted { .. }));
        assert_eq!(f.cols[1], Est::Collinear);
        assert_eq!(f.cols[2], Est::Absent);
        assert!(matches!(f.cols[3], Est::Fitted { .. }));
        // The same fit as without the collinear column.
        let g = fit(&s, &[1, 4], 1);
        assert_eq!(f.cols[0], g.cols[0]);
        assert_eq!(f.cols[3], g.cols[1]);
        // A column equal to the intercept (a constant) is collinear too.
        let mut c = Sample::default();
        for i in 0..5u32 {
            c.push(i, [i as i8, 0, 0], [(1usize, 1u32), (2, i % 2)].into_iter());
        }
        let f = fit(&c, &[1, 2], 1);
        assert_eq!(f.cols[0], Est::Collinear);
        assert!(matches!(f.cols[1], Est::Fitted { .. }));
    }

    #[test]
    fn degenerate_samples_do_not_panic() {
        let empty = fit(&Sample::default(), &[1, 2], 3);
        assert_eq!(empty.cols, vec![Est::Absent, Est::Absent]);
        // One cluster: coefficients but no standard errors.
        let mut s = Sample::default();
        for (x, y) in [(0u32, 1i8), (1, 3), (2, 4)] {
            s.push(0, [y, 1, -1], std::iter::once((1usize, x)));
        }
        match fit(&s, &[1], 3).cols[0] {
            Est::Fitted { est, se } => {
                assert!(close(est[0], 1.5, 1e-12) && close(est[1], 0.0, 1e-12));
                assert_eq!(se, None);
            }
            other => panic!("{other:?}"),
        }
        // As many parameters as rows: an exact fit without residual degrees of freedom.
        let mut s = Sample::default();
        s.push(0, [1, 0, 0], std::iter::once((1usize, 1u32)));
        s.push(1, [3, 0, 0], std::iter::empty());
        assert!(matches!(fit(&s, &[1], 1).cols[0], Est::Fitted { se: None, .. }));
    }

    #[test]
    fn t_quantiles() {
        assert_eq!(t975(1), 12.706);
        assert_eq!(t975(30), 2.042);
        assert!(close(t975(31), 2.0395, 5e-4));
        assert!(close(t975(60), 2.0003, 5e-4));
        assert!(close(t975(120), 1.9799, 5e-4));
        assert!(close(t975(1_000_000), 1.96, 1e-3));
    }
}
