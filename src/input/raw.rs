//! The export as received: tables of loosely typed rows.
//!
//! Deserialising never fails because of one bad row: every field is read as a [`Loose`] value
//! and a row that is not an object becomes [`RawRow::Other`]. Validation
//! ([`crate::input::validate`]) turns these into typed records or rejections.

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// Any JSON value, without the contents of objects.
#[derive(Debug, Clone, PartialEq)]
pub enum Loose {
    /// `null` inside an array (a null field is read as absent).
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(f64),
    /// A string.
    Str(String),
    /// An array.
    Array(Vec<Loose>),
    /// An object (its contents are not kept).
    Object,
}

impl Loose {
    /// The value quoted for a message, e.g. `` `abc` `` or `` `true` ``.
    pub fn quoted(&self) -> String {
        match self {
            Loose::Null => "`null`".into(),
            Loose::Bool(b) => format!("`{b}`"),
            Loose::Num(n) => format!("`{n}`"),
            Loose::Str(s) => crate::error::quote(s),
            Loose::Array(_) => "an array".into(),
            Loose::Object => "an object".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Loose, E> {
        Ok(Loose::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Num(v as f64))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Num(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Num(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Loose, E> {
        Ok(Loose::Str(v))
    }
    fn visit_unit<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_none<E>(self) -> Result<Loose, E> {
        Ok(Loose::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Loose, D::Error> {
        d.deserialize_any(LooseVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element::<Loose>()? {
            v.push(x);
        }
        Ok(Loose::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Object)
    }
}

/// The fields of the data contract, across all tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Field {
    Id, CustomerId, At, Amount, Kind, Direction, Channel, Status, Owner, OpenedAt, Severity, Category,
    FirstResponseAt, ResolvedAt, MadeAt, DueAt, KeptAt, Score, PromisedAt, DeliveredAt, Problem, Until,
    Reason, Kinds, Name, CreatedAt, ReferredBy, Segment, Text, Comment,
}

impl Field {
    const ALL: [(Field, &'static str); 30] = [
        (Field::Id, "id"), (Field::CustomerId, "customerId"), (Field::At, "at"), (Field::Amount, "amount"),
        (Field::Kind, "kind"), (Field::Direction, "direction"), (Field::Channel, "channel"), (Field::Status, "status"),
        (Field::Owner, "owner"), (Field::OpenedAt, "openedAt"), (Field::Severity, "severity"),
        (Field::Category, "category"), (Field::FirstResponseAt, "firstResponseAt"), (Field::ResolvedAt, "resolvedAt"),
        (Field::MadeAt, "madeAt"), (Field::DueAt, "dueAt"), (Field::KeptAt, "keptAt"), (Field::Score, "score"),
        (Field::PromisedAt, "promisedAt"), (Field::DeliveredAt, "deliveredAt"), (Field::Problem, "problem"),
        (Field::Until, "until"), (Field::Reason, "reason"), (Field::Kinds, "kinds"), (Field::Name, "name"),
        (Field::CreatedAt, "createdAt"), (Field::ReferredBy, "referredBy"), (Field::Segment, "segment"),
        (Field::Text, "text"), (Field::Comment, "comment"),
    ];

    /// The field's name in the contract.
    pub fn name(self) -> &'static str {
        Field::ALL.iter().find(|(f, _)| *f == self).map_or("", |(_, n)| n)
    }

    fn parse(s: &str) -> Option<Field> {
        Field::ALL.iter().find(|(_, n)| *n == s).map(|(f, _)| *f)
    }
}

/// An object row: the contract's fields it has (unknown keys are skipped, `null` reads as
/// absent, a repeated key keeps its last value).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawRecord {
    fields: Vec<(Field, Loose)>,
}

impl RawRecord {
    /// A field's value, if present and not null.
    pub fn get(&self, f: Field) -> Option<&Loose> {
        self.fields.iter().rev().find(|(g, _)| *g == f).map(|(_, v)| v)
    }

    /// A record from pairs (for hosts building rows natively).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (Field, Loose)>) -> Self {
        RawRecord { fields: pairs.into_iter().filter(|(_, v)| *v != Loose::Null).collect() }
    }
}

struct Key(Option<Field>);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E>(self, v: &str) -> Result<Key, E> {
                Ok(Key(Field::parse(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// One row of a table: an object, or anything else (to be rejected).
#[derive(Debug, Clone, PartialEq)]
pub enum RawRow {
    /// An object.
    Obj(RawRecord),
    /// Not an object.
    Other(Loose),
}

macro_rules! scalar_visits {
    ($wrap:expr) => {
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Num(v as f64)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Num(v as f64)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Num(v)))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Str(v.to_owned())))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Null))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok($wrap(Loose::Null))
        }
    };
}

impl<'de> Deserialize<'de> for RawRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(6).min(32));
                while let Some(Key(k)) = map.next_key::<Key>()? {
                    match k {
                        Some(f) => match map.next_value::<Loose>()? {
                            Loose::Null => {}
                            v => fields.push((f, v)),
                        },
                        None => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(RawRow::Obj(RawRecord { fields }))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                LooseVisitor.visit_seq(seq).map(RawRow::Other)
            }
            scalar_visits!(RawRow::Other);
        }
        d.deserialize_any(V)
    }
}

/// A table: an array of rows, or something that is not an array.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTable {
    /// The rows.
    Rows(Vec<RawRow>),
    /// Not an array: the whole call fails with a path to this table.
    NotArray(Loose),
}

impl Default for RawTable {
    fn default() -> Self {
        RawTable::Rows(Vec::new())
    }
}

impl<'de> Deserialize<'de> for RawTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawTable;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of rows")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(r) = seq.next_element::<RawRow>()? {
                    rows.push(r);
                }
                Ok(RawTable::Rows(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                LooseVisitor.visit_map(map).map(RawTable::NotArray)
            }
            scalar_visits!(RawTable::NotArray);
        }
        d.deserialize_any(V)
    }
}

/// The top level (and an envelope's `data`): an export object, or anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum MaybeExport {
    /// An object.
    Obj(Box<RawExport>),
    /// Not an object.
    Other(Loose),
}

impl<'de> Deserialize<'de> for MaybeExport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MaybeExport;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an export")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                RawExport::deserialize(de::value::MapAccessDeserializer::new(map)).map(|e| MaybeExport::Obj(Box::new(e)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                LooseVisitor.visit_seq(seq).map(MaybeExport::Other)
            }
            scalar_visits!(MaybeExport::Other);
        }
        d.deserialize_any(V)
    }
}

/// A whole export as received. Unknown tables are ignored; `null` reads as absent.
///
/// The same object may instead be an *envelope* `{ asOf?, policy?, data }` whose `data` is the
/// export (the form the CLI, the demo and the extension's page contract use); see
/// [`RawExport::from_json`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct RawExport {
    /// Envelope only: the instant of evaluation the export was made for.
    #[serde(rename = "asOf")]
    pub as_of: Option<serde_json::Value>,
    /// Envelope only: the policy.
    pub policy: Option<serde_json::Value>,
    /// Envelope only: the export itself.
    pub data: Option<MaybeExport>,
    pub customers: Option<RawTable>,
    pub orders: Option<RawTable>,
    pub contacts: Option<RawTable>,
    pub complaints: Option<RawTable>,
    pub promises: Option<RawTable>,
    pub feedback: Option<RawTable>,
    pub deliveries: Option<RawTable>,
    pub snoozes: Option<RawTable>,
}

impl RawExport {
    /// Read an export from JSON text. The top level must be an object; anything inside it
    /// that breaks the contract is left for validation to reject row by row. An envelope
    /// `{ asOf?, policy?, data }` is unwrapped: the export is its `data`, and its `asOf` and
    /// `policy` are kept in the returned value's fields of those names.
    pub fn from_json(text: &str) -> Result<Self, crate::Error> {
        Self::from_slice(text.as_bytes())
    }

    /// [`RawExport::from_json`] over UTF-8 bytes.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, crate::Error> {
        let top = match serde_json::from_slice::<MaybeExport>(bytes) {
            Ok(MaybeExport::Obj(e)) => *e,
            Ok(MaybeExport::Other(v)) => {
                return Err(crate::Error::input("data", format!("expected an object of tables, got {}", v.quoted())))
            }
            Err(e) => return Err(crate::Error::input("data", format!("not valid JSON: {e}"))),
        };
        let mut top = top;
        match top.data.take() {
            None => Ok(top),
            Some(inner) => match inner {
                MaybeExport::Obj(mut e) => {
                    if e.data.is_some() {
                        return Err(crate::Error::input("data.data", "an envelope cannot contain another envelope"));
                    }
                    e.as_of = top.as_of.take();
                    e.policy = top.policy.take();
                    Ok(*e)
                }
                MaybeExport::Other(v) => {
                    Err(crate::Error::input("data.data", format!("expected an object of tables, got {}", v.quoted())))
                }
            },
        }
    }

    /// Whether the text was an envelope with its own `asOf` or `policy`.
    pub fn has_envelope_options(&self) -> bool {
        self.as_of.is_some() || self.policy.is_some()
    }
}
