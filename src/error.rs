//! Errors.
//!
//! Two kinds of failure exist and they never mix:
//!
//! * [`Error`]: the whole call is impossible (the input is not an object, `asOf` is missing,
//!   the policy is invalid). At the JavaScript boundary it becomes a thrown `TendError` with
//!   `code` and `path`.
//! * [`Reason`]: one row of one table breaks the contract. The row is rejected and reported
//!   in `input.rejected[]`; the rest of the input is still analysed.
//!
//! Messages are lowercase, without a trailing period, and quote the offending value in
//! backticks.

use thiserror::Error;

/// An error that makes the whole analysis impossible.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// The data (the export) cannot be read at all.
    #[error("invalid input at `{path}`: {reason}")]
    InvalidInput {
        /// Where in the input, e.g. `data.orders`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// An option other than the policy is invalid (`asOf`, `models`).
    #[error("invalid option at `{path}`: {reason}")]
    InvalidOption {
        /// Where in the options, e.g. `options.asOf`.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// A buying model cannot be fitted to the data (empty, no repeat buyers, …).
    #[error("the model cannot be fitted: {reason}")]
    FitFailed {
        /// Why.
        reason: String,
    },
    /// The policy is invalid.
    #[error("invalid policy at `{path}`: {reason}")]
    InvalidPolicy {
        /// Where in the options, e.g. `options.policy.timezone`.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl Error {
    /// A stable machine-readable code: `invalid_input`, `invalid_option`, `invalid_policy` or
    /// `fit_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidOption { .. } => "invalid_option",
            Error::InvalidPolicy { .. } => "invalid_policy",
            Error::FitFailed { .. } => "fit_failed",
        }
    }

    /// The path of the offending value, e.g. `options.policy.workdays[2]`.
    pub fn path(&self) -> &str {
        match self {
            Error::InvalidInput { path, .. }
            | Error::InvalidOption { path, .. }
            | Error::InvalidPolicy { path, .. } => path,
            Error::FitFailed { .. } => "input",
        }
    }

    /// What is wrong, without the path (to report it under another path).
    pub fn into_reason(self) -> String {
        match self {
            Error::InvalidInput { reason, .. }
            | Error::InvalidOption { reason, .. }
            | Error::InvalidPolicy { reason, .. }
            | Error::FitFailed { reason } => reason,
        }
    }

    /// True when the data itself could not be read.
    pub fn is_input(&self) -> bool {
        matches!(self, Error::InvalidInput { .. })
    }

    /// True when the policy is invalid.
    pub fn is_policy(&self) -> bool {
        matches!(self, Error::InvalidPolicy { .. })
    }

    pub(crate) fn input(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput { path: path.into(), reason: reason.into() }
    }

    pub(crate) fn option(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidOption { path: path.into(), reason: reason.into() }
    }

    pub(crate) fn policy(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidPolicy { path: path.into(), reason: reason.into() }
    }
}

/// Why one row was rejected. The field it concerns is reported beside it.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Reason {
    /// The row is not an object.
    #[error("row is not an object, got {0}")]
    NotAnObject(String),
    /// A required field is absent or null.
    #[error("is required")]
    Missing,
    /// The value has the wrong JSON type.
    #[error("expected {expected}, got {got}")]
    WrongType {
        /// What was expected, e.g. `a string`.
        expected: &'static str,
        /// The value received, quoted.
        got: String,
    },
    /// An id that is empty or not a string or number.
    #[error("expected a non-empty string or number id, got {0}")]
    InvalidId(String),
    /// An unparsable timestamp.
    #[error("expected an ISO 8601 date or date-time in 0001–9999, got {0}")]
    InvalidDate(String),
    /// An amount or score that is not a finite number.
    #[error("expected a finite number, got {0}")]
    InvalidNumber(String),
    /// A negative amount on an order that is not a refund.
    #[error("negative amount {0} is allowed only with kind `refund`")]
    NegativeAmount(String),
    /// A refund with a positive amount.
    #[error("a refund must have an amount ≤ 0, got {0}")]
    PositiveRefund(String),
    /// A value outside an enumeration.
    #[error("unknown value {got}, expected one of {allowed}")]
    UnknownValue {
        /// The value received, quoted.
        got: String,
        /// The allowed values.
        allowed: &'static str,
    },
    /// A score outside the range of its kind.
    #[error("score {got} is out of range {min}–{max} for kind `{kind}`")]
    OutOfRange {
        /// The value received, quoted.
        got: String,
        /// The feedback kind.
        kind: &'static str,
        /// Lowest allowed.
        min: u8,
        /// Highest allowed.
        max: u8,
    },
    /// A score that is not a whole number.
    #[error("score {0} is not a whole number")]
    NotWhole(String),
    /// A reference to a customer that does not exist (or was rejected).
    #[error("unknown customer {0}")]
    UnknownCustomer(String),
    /// A reference to a customer whose own row was rejected.
    #[error("customer {0} was rejected (see its row in `customers`)")]
    RejectedCustomer(String),
    /// A customer referring to itself.
    #[error("customer {0} cannot refer itself")]
    SelfReference(String),
    /// A second row with an id already taken in the same table.
    #[error("duplicate id {id}, first seen at index {first}")]
    Duplicate {
        /// The id, quoted.
        id: String,
        /// Index of the row that keeps the id.
        first: usize,
    },
    /// An update removes an id that no row of the table has.
    #[error("no row has the id {0}")]
    NotFound(String),
    /// A CSV line whose number of cells differs from the header's.
    #[error("{} where the header has {expected}", cells(*got))]
    Cells {
        /// Cells on the line.
        got: usize,
        /// Columns of the header.
        expected: usize,
    },
    /// A CSV cell that is not UTF-8 text.
    #[error("is not valid UTF-8 text")]
    NotUtf8,
    /// A row the host could not read (the JavaScript wrapper: a getter that threw, a `Proxy`
    /// that refused, a `BigInt` no number holds exactly), with the host's words.
    #[error("could not be read: {0}")]
    Unreadable(String),
    /// A CSV line whose quoted cell is not closed before the end of the file.
    #[error("a quoted cell is not closed before the end of the file")]
    Unterminated,
    /// A timestamp that is earlier than the one it follows.
    #[error("{value} is before {other} {other_value}")]
    Before {
        /// The value received, quoted.
        value: String,
        /// The field it must not precede.
        other: &'static str,
        /// That field's value, quoted.
        other_value: String,
    },
}

/// Every code of a [`Reason`].
pub const REASON_CODES: [&str; 17] = [
    "not_an_object", "missing", "wrong_type", "invalid_id", "invalid_date", "invalid_number", "invalid_amount", "invalid_value",
    "out_of_range", "unknown_customer", "self_reference", "duplicate_id", "inconsistent_dates", "invalid_row", "not_found",
    "invalid_text", "unreadable",
];

impl Reason {
    /// A stable machine-readable code for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::NotAnObject(_) => "not_an_object",
            Reason::Missing => "missing",
            Reason::WrongType { .. } => "wrong_type",
            Reason::InvalidId(_) => "invalid_id",
            Reason::InvalidDate(_) => "invalid_date",
            Reason::InvalidNumber(_) => "invalid_number",
            Reason::NegativeAmount(_) | Reason::PositiveRefund(_) => "invalid_amount",
            Reason::UnknownValue { .. } => "invalid_value",
            Reason::OutOfRange { .. } | Reason::NotWhole(_) => "out_of_range",
            Reason::UnknownCustomer(_) | Reason::RejectedCustomer(_) => "unknown_customer",
            Reason::SelfReference(_) => "self_reference",
            Reason::Duplicate { .. } => "duplicate_id",
            Reason::Before { .. } => "inconsistent_dates",
            Reason::Cells { .. } => "invalid_row",
            Reason::NotFound(_) => "not_found",
            Reason::NotUtf8 => "invalid_text",
            Reason::Unterminated => "invalid_row",
            Reason::Unreadable(_) => "unreadable",
        }
    }
}

fn cells(n: usize) -> String {
    if n == 1 {
        "1 cell".into()
    } else {
        format!("{n} cells")
    }
}

/// Quote a value for a message: backticks around it, long text shortened.
pub(crate) fn quote(s: &str) -> String {
    const MAX: usize = 60;
    if s.chars().count() > MAX {
        let cut: String = s.chars().take(MAX).collect();
        format!("`{cut}…`")
    } else {
        format!("`{s}`")
    }
}
