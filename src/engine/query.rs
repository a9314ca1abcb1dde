//! Pages of the worklist, the customers list and the rejected rows.

/// A page of results.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Page<T> {
    /// Items matching the query, over all pages.
    pub total: usize,
    /// This page's items.
    pub items: Vec<T>,
}

/// One customer as a compact row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CustomerRow {
    /// Its id.
    pub id: String,
}
