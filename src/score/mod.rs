//! Scoring, one concept a module: value, satisfaction, neglect, buying, health, stage, risk
//! and actions.

pub mod actions;
pub mod buying;
pub mod health;
pub mod neglect;
pub mod risk;
pub mod satisfaction;
pub mod stage;
pub mod value;

/// Round to two decimals; a non-finite value (which the scoring never produces) becomes 0 so
/// that the report stays plain JSON.
pub(crate) fn r2(x: f64) -> f64 {
    if x.is_finite() {
        (x * 100.0).round() / 100.0
    } else {
        0.0
    }
}

/// Days (decimal) from `a` to `b`.
pub(crate) fn days_between(a: crate::time::Instant, b: crate::time::Instant) -> f64 {
    (b - a) as f64 / crate::time::DAY_MS as f64
}

/// Sort by a comparator, stable. Every call shares one sort routine (over a permutation of
/// indices), which keeps the WebAssembly module small: a generic sort per call site would carry
/// its own copy of the sorting code.
pub(crate) fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let order = permutation(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut old: Vec<Option<T>> = v.drain(..).map(Some).collect();
    for i in order {
        if let Some(x) = old.get_mut(i).and_then(Option::take) {
            v.push(x);
        }
    }
}

fn permutation(n: usize, cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|a, b| cmp(*a, *b));
    idx
}

/// The median of `xs` (sorted in place); `None` when empty.
pub(crate) fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_unstable_by(f64::total_cmp);
    let m = xs.len() / 2;
    Some(if xs.len() % 2 == 1 { xs[m] } else { (xs[m - 1] + xs[m]) / 2.0 })
}
