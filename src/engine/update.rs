//! Updates.

/// What an update changed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct UpdateResult {
    /// Customers whose answers changed.
    pub changed: Vec<String>,
}
