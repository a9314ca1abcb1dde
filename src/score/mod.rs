//! Scoring, one concept a module: value, satisfaction, neglect, buying, health, stage, risk
//! and actions.

pub mod actions;
pub mod attribution;
pub mod buying;
pub mod cut;
pub mod health;
pub mod neglect;
pub mod risk;
pub mod satisfaction;
pub mod stage;
pub mod value;
pub mod view;

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

pub(crate) use crate::sort::median;
