//! The error type of the BTYD module.
//!
//! Messages are lowercase, without a trailing period, and quote the offending value in
//! backticks. Customers are named by their id when one is known (summaries, transactions) and
//! by their position in the input slice otherwise (observations).

use crate::num::Num;
use std::fmt;

/// Why a BTYD computation could not be carried out.
#[derive(Debug, Clone, PartialEq)]
pub enum BtydError {
    /// There is nothing to work on, e.g. an empty slice of customers.
    Empty {
        /// What is missing, e.g. `customers to fit`.
        what: &'static str,
    },
    /// A value that must be finite is NaN or infinite.
    NonFinite {
        /// Which value, e.g. `recency`.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// A value that must not be negative is negative.
    Negative {
        /// Which value, e.g. `age`.
        field: &'static str,
        /// The offending value.
        value: f64,
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// The last repeat purchase lies after the end of the observation window.
    RecencyExceedsAge {
        /// The recency `t_x`.
        recency: f64,
        /// The age `T`.
        age: f64,
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// A customer without repeat purchases has a non-zero recency.
    RecencyWithoutRepeat {
        /// The recency `t_x`, which must be 0 when the frequency is 0.
        recency: f64,
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// The spend model was given a customer without repeat purchases.
    ZeroFrequency {
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// The spend model was given a mean spend that is not positive.
    NonPositiveSpend {
        /// The offending mean spend.
        value: f64,
        /// The customer's id, or its position in the input.
        customer: String,
    },
    /// A model parameter is not positive and finite.
    InvalidParameter {
        /// The parameter's name, e.g. `alpha`.
        name: &'static str,
        /// The offending value.
        value: f64,
    },
    /// An argument other than data and parameters is invalid (a horizon, a discount rate, a
    /// time unit, a calibration end).
    InvalidArgument {
        /// The argument's name, e.g. `horizon`.
        name: &'static str,
        /// The offending value.
        value: f64,
        /// What is required of it, e.g. `must be non-negative and finite`.
        requirement: &'static str,
    },
    /// The Gamma-Gamma mean spend is infinite for these parameters (`q` too small).
    InfiniteMeanSpend {
        /// The value of `q`.
        q: f64,
    },
    /// The data cannot identify the model's parameters (e.g. nobody made a repeat purchase).
    NotIdentified {
        /// Why.
        reason: String,
    },
    /// A numerical procedure failed (a series that did not converge, a non-finite result).
    Numerical {
        /// What failed.
        what: String,
    },
}

impl BtydError {
    /// A stable machine-readable code, e.g. `non_finite` or `not_identified`.
    pub fn code(&self) -> &'static str {
        match self {
            BtydError::Empty { .. } => "empty",
            BtydError::NonFinite { .. } => "non_finite",
            BtydError::Negative { .. } => "negative",
            BtydError::RecencyExceedsAge { .. } => "recency_exceeds_age",
            BtydError::RecencyWithoutRepeat { .. } => "recency_without_repeat",
            BtydError::ZeroFrequency { .. } => "zero_frequency",
            BtydError::NonPositiveSpend { .. } => "non_positive_spend",
            BtydError::InvalidParameter { .. } => "invalid_parameter",
            BtydError::InvalidArgument { .. } => "invalid_argument",
            BtydError::InfiniteMeanSpend { .. } => "infinite_mean_spend",
            BtydError::NotIdentified { .. } => "not_identified",
            BtydError::Numerical { .. } => "numerical",
        }
    }

    pub(crate) fn numerical(what: impl Into<String>) -> Self {
        BtydError::Numerical { what: what.into() }
    }
}

impl fmt::Display for BtydError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BtydError::Empty { what } => write!(f, "no {what}"),
            BtydError::NonFinite { field, value, customer } => {
                write!(f, "non-finite {field} `{}` for customer `{customer}`", Num(*value))
            }
            BtydError::Negative { field, value, customer } => {
                write!(f, "negative {field} `{}` for customer `{customer}`", Num(*value))
            }
            BtydError::RecencyExceedsAge { recency, age, customer } => {
                write!(f, "recency `{}` exceeds age `{}` for customer `{customer}`", Num(*recency), Num(*age))
            }
            BtydError::RecencyWithoutRepeat { recency, customer } => {
                write!(f, "non-zero recency `{}` without repeat purchases for customer `{customer}`", Num(*recency))
            }
            BtydError::ZeroFrequency { customer } => {
                write!(f, "zero frequency for customer `{customer}`: the spend model needs repeat buyers")
            }
            BtydError::NonPositiveSpend { value, customer } => {
                write!(f, "non-positive mean spend `{}` for customer `{customer}`", Num(*value))
            }
            BtydError::InvalidParameter { name, value } => {
                write!(f, "invalid parameter `{name}` = `{}`: must be positive and finite", Num(*value))
            }
            BtydError::InvalidArgument { name, value, requirement } => {
                write!(f, "invalid {name} `{}`: {requirement}", Num(*value))
            }
            BtydError::InfiniteMeanSpend { q } => {
                write!(f, "the mean spend is infinite: parameter `q` = `{}` is too small", Num(*q))
            }
            BtydError::NotIdentified { reason } => {
                write!(f, "the data cannot identify the model: {reason}")
            }
            BtydError::Numerical { what } => write!(f, "numerical failure: {what}"),
        }
    }
}

impl std::error::Error for BtydError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_quote_values() {
        let e = BtydError::Negative { field: "frequency", value: -1.0, customer: "17".into() };
        assert_eq!(e.to_string(), "negative frequency `-1` for customer `17`");
        assert_eq!(e.code(), "negative");
        let e = BtydError::InvalidParameter { name: "alpha", value: f64::NAN };
        assert_eq!(e.to_string(), "invalid parameter `alpha` = `NaN`: must be positive and finite");
        let e = BtydError::Empty { what: "customers to fit" };
        assert_eq!(e.to_string(), "no customers to fit");
        assert!(!e.to_string().ends_with('.'));
    }
}
