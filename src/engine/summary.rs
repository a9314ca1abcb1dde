//! The engine's summary.

/// The summary.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The instant.
    pub as_of: String,
}
