//! The JSON reader: an export (or an envelope `{ asOf?, policy?, data }`) as UTF-8 bytes, read
//! in one pass straight into rows for a [`Sink`], without building a document.
//!
//! Strings borrow from the input unless they hold escapes; numbers are parsed by the standard
//! library (correctly rounded); unknown keys are skipped whatever they hold, iteratively, so no
//! nesting depth can exhaust the stack. Syntax errors name the line and column.

mod parser;
mod rows;
mod update;
mod values;

pub(crate) use parser::Parser;
pub use update::{read_update, Removal};

use super::records::Table;
use super::row::Sink;
use crate::error::Error;

type R<T> = Result<T, String>;

/// What the top level held besides the tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Envelope {
    /// The envelope's `asOf`, when given.
    pub as_of: Option<serde_json::Value>,
    /// The envelope's `policy`, when given.
    pub policy: Option<serde_json::Value>,
    /// Whether the envelope's `policy` came after rows were read (plain dates in those rows were
    /// read in the timezone assumed before it, so the caller reads the input again).
    pub policy_late: bool,
    /// Whether each table was present (an array), in [`Table::ALL`] order.
    pub present: [bool; 8],
    /// Rows received per table.
    pub received: [usize; 8],
}

/// Longest array kept for a field (a snooze's `kinds`); longer ones are rejected.
pub const MAX_ARRAY_ITEMS: usize = 64;

/// The keys by which the JavaScript wrapper marks a row it could not read (a getter that threw,
/// a `Proxy` that refused, a `BigInt` no number holds exactly): the row is rejected in its place
/// with the wrapper's words and, when known, the field at fault. No contract field starts with
/// NUL.
pub const UNREADABLE: &[u8] = b"\0unreadable";
/// See [`UNREADABLE`].
pub const UNREADABLE_FIELD: &[u8] = b"\0field";

/// How deep options and policies may nest (as serde_json allows).
pub const MAX_DEPTH: usize = 128;

/// Parse JSON text (options, a policy, a query, a model) into a value; `path` names it in
/// errors.
pub fn parse_value(bytes: &[u8], path: &str) -> Result<serde_json::Value, Error> {
    let mut p = Parser::new(bytes).map_err(|e| Error::input(path, e.into_reason()))?;
    let v = p.value(0).and_then(|v| p.end().map(|()| v)).map_err(|e| p.error(path, &e))?;
    Ok(v)
}

#[derive(Default)]
struct Shape {
    data: Option<String>,
    nested: bool,
    tables: [Option<String>; 8],
}

/// Read an export. Errors: invalid JSON, a top level or `data` that is not an object, an
/// envelope inside an envelope, a table that is not an array, no `customers` table.
pub fn read_export(bytes: &[u8], sink: &mut dyn Sink) -> Result<Envelope, Error> {
    let mut p = Parser::new(bytes)?;
    let mut env = Envelope::default();
    let mut shape = Shape::default();
    p.ws();
    if p.peek() != Some(b'{') {
        let v = p.value_summary().and_then(|v| p.end().map(|()| v)).map_err(|e| p.error("data", &e))?;
        return Err(Error::input("data", format!("expected an object of tables, got {}", v.quoted())));
    }
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut in_data = false;
    let mut rows_read = false;
    let result = p.object(|p, key| {
        unique(&mut keys, key)?;
        match key {
            b"asOf" => {
                env.as_of = p.json_value()?;
                Ok(())
            }
            b"policy" => {
                env.policy = p.json_value()?;
                match &env.policy {
                    Some(v) if !rows_read => sink.envelope_policy(v),
                    Some(_) => env.policy_late = true,
                    None => {}
                }
                Ok(())
            }
            b"data" => match p.peek() {
                Some(b'{') => {
                    // The envelope's data replaces any table read at the top level.
                    sink.reset();
                    env.present = [false; 8];
                    env.received = [0; 8];
                    shape.tables = Default::default();
                    in_data = true;
                    rows_read = true;
                    let mut inner: Vec<Vec<u8>> = Vec::new();
                    p.object(|p, k| {
                        unique(&mut inner, k)?;
                        if k == b"data" {
                            if p.peek() == Some(b'n') {
                                return p.literal(b"null");
                            }
                            shape.nested = true;
                            return p.skip_value();
                        }
                        match table_of(k) {
                            Some(t) => p.table(t, sink, &mut env, &mut shape.tables),
                            None => p.skip_value(),
                        }
                    })
                }
                Some(b'n') => p.literal(b"null"),
                _ => {
                    let v = p.value_summary()?;
                    shape.data = Some(format!("expected an object of tables, got {}", v.quoted()));
                    Ok(())
                }
            },
            k => match table_of(k) {
                Some(t) if !in_data => {
                    rows_read = true;
                    p.table(t, sink, &mut env, &mut shape.tables)
                }
                _ => p.skip_value(),
            },
        }
    });
    result.and_then(|()| p.end()).map_err(|e| p.error("data", &e))?;
    if let Some(reason) = shape.data {
        return Err(Error::input("data.data", reason));
    }
    if shape.nested {
        return Err(Error::input("data.data", "an envelope cannot contain another envelope"));
    }
    if !env.present[Table::Customers as usize] && shape.tables[0].is_none() {
        return Err(Error::input("data.customers", "is required (an array of customers)"));
    }
    for (k, t) in Table::ALL.iter().enumerate() {
        if let Some(reason) = &shape.tables[k] {
            return Err(Error::input(format!("data.{}", t.as_str()), reason.clone()));
        }
    }
    Ok(env)
}

fn unique(keys: &mut Vec<Vec<u8>>, key: &[u8]) -> R<()> {
    if keys.iter().any(|k| k.as_slice() == key) {
        return Err(format!("duplicate field `{}`", String::from_utf8_lossy(key)));
    }
    keys.push(key.to_vec());
    Ok(())
}

/// The table a key names.
pub fn table_of(k: &[u8]) -> Option<Table> {
    Table::ALL.iter().copied().find(|t| t.as_str().as_bytes() == k)
}

/// Read a JSON object of tables (`{ contacts: [...], ... }`, as in an update's `upsert`) into a
/// sink. A table that is not an array is an error at `path.table`. Returns the rows per table.
pub fn read_tables(bytes: &[u8], path: &str, sink: &mut dyn Sink) -> Result<[usize; 8], Error> {
    let mut p = Parser::new(bytes).map_err(|e| Error::input(path, e.into_reason()))?;
    let mut env = Envelope::default();
    let mut tables: [Option<String>; 8] = Default::default();
    p.ws();
    if p.peek() != Some(b'{') {
        let v = p.value_summary().map_err(|e| p.error(path, &e))?;
        return Err(Error::input(path, format!("expected an object of tables, got {}", v.quoted())));
    }
    let mut keys: Vec<Vec<u8>> = Vec::new();
    p.object(|p, k| {
        unique(&mut keys, k)?;
        match table_of(k) {
            Some(t) => p.table(t, sink, &mut env, &mut tables),
            None => p.skip_value(),
        }
    })
    .and_then(|()| p.end())
    .map_err(|e| p.error(path, &e))?;
    for (k, t) in Table::ALL.iter().enumerate() {
        if let Some(reason) = &tables[k] {
            return Err(Error::input(format!("{path}.{}", t.as_str()), reason.clone()));
        }
    }
    Ok(env.received)
}
