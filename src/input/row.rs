//! One row as read from JSON or CSV, before validation: the contract's fields of its table, each
//! a loosely typed [`Val`] that borrows from the input where it can.
//!
//! Reading never fails because of one bad row: a value of the wrong type is kept as what it is
//! and validation ([`crate::input::check`]) rejects the row with a reason. Unknown keys are
//! skipped whatever they hold; `null` reads as absent; a repeated key keeps its last value.

use super::records::Table;
use std::borrow::Cow;

/// A value of a field.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Val<'a> {
    /// The field is absent (or `null`).
    #[default]
    Absent,
    /// `null` inside an array.
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string (borrowed from the input when it has no escapes).
    Str(Cow<'a, str>),
    /// An array (of scalars; nested arrays and objects are kept as [`Val::Object`] /
    /// [`Val::Array`] without contents).
    Array(Vec<Val<'a>>),
    /// An object (its contents are not kept).
    Object,
}

impl Val<'_> {
    /// Whether the field is present.
    pub fn is_present(&self) -> bool {
        !matches!(self, Val::Absent)
    }

    /// The value quoted for a message, e.g. `` `abc` `` or `` `true` ``.
    pub fn quoted(&self) -> String {
        match self {
            Val::Absent | Val::Null => "`null`".into(),
            Val::Bool(b) => format!("`{b}`"),
            Val::Num(n) => format!("`{}`", crate::num::Num(*n)),
            Val::Str(s) => crate::error::quote(s),
            Val::Array(_) => "an array".into(),
            Val::Object => "an object".into(),
        }
    }

    /// An owned copy.
    pub fn into_owned(self) -> Val<'static> {
        match self {
            Val::Absent => Val::Absent,
            Val::Null => Val::Null,
            Val::Bool(b) => Val::Bool(b),
            Val::Num(n) => Val::Num(n),
            Val::Str(s) => Val::Str(Cow::Owned(s.into_owned())),
            Val::Array(v) => Val::Array(v.into_iter().map(Val::into_owned).collect()),
            Val::Object => Val::Object,
        }
    }
}

/// The most fields any table has.
pub const MAX_FIELDS: usize = 7;

/// The fields of each table, in the order of [`Table::ALL`]; a field's slot in a [`Row`] is its
/// position here. Validation checks them in the order the contract lists them.
pub const FIELDS: [&[&str]; 8] = [
    &["id", "name", "owner", "createdAt", "segment", "referredBy"],
    &["id", "customerId", "at", "amount", "kind"],
    &["id", "customerId", "at", "direction", "channel", "status", "owner"],
    &["id", "customerId", "openedAt", "severity", "category", "firstResponseAt", "resolvedAt"],
    &["id", "customerId", "madeAt", "dueAt", "keptAt", "owner", "text"],
    &["id", "customerId", "at", "kind", "score", "comment"],
    &["id", "customerId", "promisedAt", "deliveredAt", "problem"],
    &["id", "customerId", "until", "reason", "kinds"],
];

/// The fields of a table.
pub fn fields(t: Table) -> &'static [&'static str] {
    FIELDS[t as usize]
}

/// The slot of a field name in a table's rows.
pub fn slot(t: Table, name: &[u8]) -> Option<usize> {
    // Literal patterns compile to inline comparisons (this runs once per field of every row).
    let s = match (t, name) {
        (_, b"id") => 0,
        (Table::Customers, b"name") => 1,
        (Table::Customers, b"owner") => 2,
        (Table::Customers, b"createdAt") => 3,
        (Table::Customers, b"segment") => 4,
        (Table::Customers, b"referredBy") => 5,
        (Table::Customers, _) => return None,
        (_, b"customerId") => 1,
        (Table::Orders | Table::Contacts | Table::Feedback, b"at") => 2,
        (Table::Orders, b"amount") => 3,
        (Table::Orders, b"kind") => 4,
        (Table::Contacts, b"direction") => 3,
        (Table::Contacts, b"channel") => 4,
        (Table::Contacts, b"status") => 5,
        (Table::Contacts | Table::Promises, b"owner") => if t == Table::Contacts { 6 } else { 5 },
        (Table::Complaints, b"openedAt") => 2,
        (Table::Complaints, b"severity") => 3,
        (Table::Complaints, b"category") => 4,
        (Table::Complaints, b"firstResponseAt") => 5,
        (Table::Complaints, b"resolvedAt") => 6,
        (Table::Promises, b"madeAt") => 2,
        (Table::Promises, b"dueAt") => 3,
        (Table::Promises, b"keptAt") => 4,
        (Table::Promises, b"text") => 6,
        (Table::Feedback, b"kind") => 3,
        (Table::Feedback, b"score") => 4,
        (Table::Feedback, b"comment") => 5,
        (Table::Deliveries, b"promisedAt") => 2,
        (Table::Deliveries, b"deliveredAt") => 3,
        (Table::Deliveries, b"problem") => 4,
        (Table::Snoozes, b"until") => 2,
        (Table::Snoozes, b"reason") => 3,
        (Table::Snoozes, b"kinds") => 4,
        _ => return None,
    };
    Some(s)
}

/// One object row: the values of its table's fields, by slot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row<'a> {
    /// Values by slot ([`fields`]).
    pub vals: [Val<'a>; MAX_FIELDS],
}

impl<'a> Row<'a> {
    /// The value of the field in `slot`.
    pub fn get(&self, slot: usize) -> &Val<'a> {
        self.vals.get(slot).unwrap_or(&Val::Absent)
    }

    /// Clear every field (to read the next row into the same buffer).
    pub fn clear(&mut self) {
        for v in &mut self.vals {
            *v = Val::Absent;
        }
    }

    /// A row from field names and values (for hosts and tests building rows natively);
    /// unknown names are ignored.
    pub fn from_pairs<'b>(t: Table, pairs: impl IntoIterator<Item = (&'b str, Val<'a>)>) -> Self {
        let mut r = Row::default();
        for (k, v) in pairs {
            if let Some(s) = slot(t, k.as_bytes()) {
                if !matches!(v, Val::Null) {
                    r.vals[s] = v;
                }
            }
        }
        r
    }

    /// An owned copy.
    pub fn into_owned(self) -> Row<'static> {
        Row { vals: self.vals.map(Val::into_owned) }
    }
}

/// Rows a reader hands over at once.
pub const BATCH: usize = 64;

/// Where a row came from, for its rejection: its index in its table and, from CSV, its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct At {
    /// Position in the table (or in the update's list), from 0.
    pub index: usize,
    /// The line of a CSV file (from 1), when read from CSV.
    pub line: Option<u32>,
}

/// What the readers hand over, row by row.
pub trait Sink {
    /// A row that is an object.
    fn row(&mut self, table: Table, at: At, row: &Row<'_>);
    /// Rows that are objects, in order (readers hand them over in batches, so that a sink can
    /// look up all of their customers at once).
    fn rows(&mut self, table: Table, rows: &[(At, Row<'_>)]) {
        for (at, row) in rows {
            self.row(table, *at, row);
        }
    }
    /// A row that is not an object.
    fn other(&mut self, table: Table, at: At, value: &Val<'_>);
    /// A row that could not be read as a whole (a CSV line with the wrong number of cells or an
    /// unterminated quote, a cell that is not UTF-8): its id when readable, the field at fault.
    fn broken(&mut self, table: Table, at: At, id: Option<String>, field: Option<&'static str>, reason: crate::error::Reason);
    /// The envelope's `policy`, read before any row (plain dates are read in its timezone).
    fn envelope_policy(&mut self, policy: &serde_json::Value) {
        let _ = policy;
    }
    /// CSV: the column (from 1) of each field slot of the table about to be read.
    fn columns(&mut self, columns: [Option<u32>; MAX_FIELDS]) {
        let _ = columns;
    }
    /// A table's rows are about to come, with about how many there may be at most (a reader's
    /// guess from the bytes left; the sink may reserve room and give back what it did not use).
    fn table_start(&mut self, table: Table, at_most: usize) {
        let _ = (table, at_most);
    }
    /// A table's rows are all read.
    fn table_end(&mut self, table: Table);
    /// Forget every row received so far (an envelope's `data` turned up after top-level
    /// tables, which it replaces).
    fn reset(&mut self);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_follow_the_field_lists() {
        for t in Table::ALL {
            for (k, f) in fields(*t).iter().enumerate() {
                assert_eq!(slot(*t, f.as_bytes()), Some(k), "{t:?} {f}");
            }
            assert_eq!(slot(*t, b"nope"), None);
        }
        assert_eq!(slot(Table::Orders, b"score"), None);
        assert_eq!(slot(Table::Customers, b"customerId"), None);
    }

    #[test]
    fn the_javascript_wrapper_reads_the_same_fields() {
        // pkg/rows.js reads only these fields of a row: a field missing there would be dropped.
        let js = include_str!("../../pkg/rows.js");
        for t in Table::ALL {
            let list = fields(*t).iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ");
            let line = format!("  {}: [{list}],", t.as_str());
            assert!(js.contains(&line), "pkg/rows.js lacks `{line}`");
        }
    }
}
