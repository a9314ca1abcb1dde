//! What the models see of a customer: the recency–frequency triple `(x, t_x, T)` for the
//! purchase models and the pair `(x, m_x)` for the spend model.

use super::error::BtydError;

/// One customer's calibration history as the purchase models see it.
///
/// Times are in the caller's unit (whatever unit the summaries were built with); the fitted
/// parameters `alpha` and `beta` are in that unit too.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    /// `x`: the number of repeat purchases (purchases after the first one).
    pub x: u32,
    /// `t_x`: time of the last purchase, measured from the first one; 0 when `x` is 0.
    pub t_x: f64,
    /// `T`: length of the observation window, from the first purchase to its end.
    pub t: f64,
}

impl Observation {
    /// A customer seen at the instant of their first purchase: `(0, 0, 0)`. Conditional
    /// predictions for it are the unconditional predictions for a new customer.
    pub const NEW: Observation = Observation { x: 0, t_x: 0.0, t: 0.0 };

    /// Builds an observation without checking it; the models check it when they use it.
    pub fn new(x: u32, t_x: f64, t: f64) -> Self {
        Observation { x, t_x, t }
    }

    /// Checks that `0 <= t_x <= T`, both finite, and `t_x = 0` when `x = 0`. The closure names
    /// the customer in the error.
    pub(crate) fn check(&self, customer: impl Fn() -> String) -> Result<(), BtydError> {
        if !self.t_x.is_finite() {
            return Err(BtydError::NonFinite { field: "recency", value: self.t_x, customer: customer() });
        }
        if !self.t.is_finite() {
            return Err(BtydError::NonFinite { field: "age", value: self.t, customer: customer() });
        }
        if self.t_x < 0.0 {
            return Err(BtydError::Negative { field: "recency", value: self.t_x, customer: customer() });
        }
        if self.t < 0.0 {
            return Err(BtydError::Negative { field: "age", value: self.t, customer: customer() });
        }
        if self.t_x > self.t {
            return Err(BtydError::RecencyExceedsAge { recency: self.t_x, age: self.t, customer: customer() });
        }
        if self.x == 0 && self.t_x != 0.0 {
            return Err(BtydError::RecencyWithoutRepeat { recency: self.t_x, customer: customer() });
        }
        Ok(())
    }
}

/// One repeat buyer as the spend model sees them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SpendObservation {
    /// `x`: the number of repeat purchases (at least 1).
    pub x: u32,
    /// `m_x`: the mean spend of those repeat purchases (positive).
    pub mean_spend: f64,
}

impl SpendObservation {
    /// Builds a spend observation without checking it.
    pub fn new(x: u32, mean_spend: f64) -> Self {
        SpendObservation { x, mean_spend }
    }

    pub(crate) fn check(&self, customer: impl Fn() -> String) -> Result<(), BtydError> {
        if self.x == 0 {
            return Err(BtydError::ZeroFrequency { customer: customer() });
        }
        if !self.mean_spend.is_finite() {
            return Err(BtydError::NonFinite { field: "mean spend", value: self.mean_spend, customer: customer() });
        }
        if self.mean_spend <= 0.0 {
            return Err(BtydError::NonPositiveSpend { value: self.mean_spend, customer: customer() });
        }
        Ok(())
    }
}

/// Checks a slice of observations, naming a bad one by its position.
pub(crate) fn check_all(data: &[Observation]) -> Result<(), BtydError> {
    for (i, o) in data.iter().enumerate() {
        o.check(|| i.to_string())?;
    }
    Ok(())
}

/// Checks that a horizon (a length of time to predict over) is finite and non-negative.
pub(crate) fn check_horizon(name: &'static str, value: f64) -> Result<(), BtydError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(BtydError::InvalidArgument { name, value, requirement: "must be non-negative and finite" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_customer_and_value() {
        let bad = Observation::new(2, 40.0, 38.86);
        let e = bad.check(|| "17".into()).err();
        assert_eq!(e.map(|e| e.to_string()).as_deref(), Some("recency `40` exceeds age `38.86` for customer `17`"));
        assert!(Observation::new(0, 1.0, 2.0).check(|| "0".into()).is_err());
        assert!(Observation::new(1, f64::NAN, 2.0).check(|| "0".into()).is_err());
        assert!(Observation::new(1, 1.0, -2.0).check(|| "0".into()).is_err());
        assert!(Observation::new(3, 1.0, 2.0).check(|| "0".into()).is_ok());
        assert!(Observation::NEW.check(|| "0".into()).is_ok());
        assert!(SpendObservation::new(0, 3.0).check(|| "0".into()).is_err());
        assert!(SpendObservation::new(1, 0.0).check(|| "0".into()).is_err());
        assert!(SpendObservation::new(1, 3.0).check(|| "0".into()).is_ok());
        assert!(check_horizon("horizon", -1.0).is_err());
        assert!(check_horizon("horizon", f64::INFINITY).is_err());
    }
}
