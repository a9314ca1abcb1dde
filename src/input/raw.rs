//! The export as received: tables of loosely typed rows.
//!
//! Deserialising never fails because of one bad row: every field is read as a [`Loose`] value
//! and a row that is not an object becomes [`RawRow::Other`]. Validation
//! ([`crate::input::validate`]) turns these into typed records or rejections.

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;
use std::marker::PhantomData;

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

/// One row of a table: an object read as `T`, or anything else.
#[derive(Debug, Clone, PartialEq)]
pub enum RawRow<T> {
    /// An object.
    Obj(T),
    /// Not an object.
    Other(Loose),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for RawRow<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = RawRow<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawRow::Obj)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Num(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Num(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Num(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Str(v.to_owned())))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Null))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(RawRow::Other(Loose::Null))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                LooseVisitor.visit_seq(seq).map(RawRow::Other)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A table: an array of rows, or something that is not an array.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTable<T> {
    /// The rows.
    Rows(Vec<RawRow<T>>),
    /// Not an array: the whole call fails with a path to this table.
    NotArray(Loose),
}

impl<T> Default for RawTable<T> {
    fn default() -> Self {
        RawTable::Rows(Vec::new())
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for RawTable<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = RawTable<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of rows")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
                while let Some(r) = seq.next_element::<RawRow<T>>()? {
                    rows.push(r);
                }
                Ok(RawTable::Rows(rows))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                LooseVisitor.visit_map(map).map(RawTable::NotArray)
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(RawTable::NotArray(Loose::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(RawTable::NotArray(Loose::Num(v as f64)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(RawTable::NotArray(Loose::Num(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(RawTable::NotArray(Loose::Num(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawTable::NotArray(Loose::Str(v.to_owned())))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

macro_rules! raw_struct {
    ($(#[$m:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Deserialize)]
        #[serde(rename_all = "camelCase", default)]
        #[allow(missing_docs)]
        pub struct $name { $(pub $field: Option<Loose>,)* }
    };
}

raw_struct!(/// A `customers` row as received.
    RawCustomer { id, name, owner, created_at, segment, referred_by });
raw_struct!(/// An `orders` row as received.
    RawOrder { id, customer_id, at, amount, kind });
raw_struct!(/// A `contacts` row as received.
    RawContact { id, customer_id, at, direction, channel, status, owner });
raw_struct!(/// A `complaints` row as received.
    RawComplaint { id, customer_id, opened_at, severity, category, first_response_at, resolved_at });
raw_struct!(/// A `promises` row as received.
    RawPromise { id, customer_id, made_at, due_at, kept_at, owner, text });
raw_struct!(/// A `feedback` row as received.
    RawFeedback { id, customer_id, at, kind, score, comment });
raw_struct!(/// A `deliveries` row as received.
    RawDelivery { id, customer_id, promised_at, delivered_at, problem });
raw_struct!(/// A `snoozes` row as received.
    RawSnooze { customer_id, until, reason, kinds });

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
    pub data: Option<Box<RawRow<RawExport>>>,
    pub customers: Option<RawTable<RawCustomer>>,
    pub orders: Option<RawTable<RawOrder>>,
    pub contacts: Option<RawTable<RawContact>>,
    pub complaints: Option<RawTable<RawComplaint>>,
    pub promises: Option<RawTable<RawPromise>>,
    pub feedback: Option<RawTable<RawFeedback>>,
    pub deliveries: Option<RawTable<RawDelivery>>,
    pub snoozes: Option<RawTable<RawSnooze>>,
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
        let top = match serde_json::from_slice::<RawRow<RawExport>>(bytes) {
            Ok(RawRow::Obj(e)) => e,
            Ok(RawRow::Other(v)) => {
                return Err(crate::Error::input("data", format!("expected an object of tables, got {}", v.quoted())))
            }
            Err(e) => return Err(crate::Error::input("data", format!("not valid JSON: {e}"))),
        };
        let mut top = top;
        match top.data.take() {
            None => Ok(top),
            Some(inner) => match *inner {
                RawRow::Obj(mut e) => {
                    if e.data.is_some() {
                        return Err(crate::Error::input("data.data", "an envelope cannot contain another envelope"));
                    }
                    e.as_of = top.as_of.take();
                    e.policy = top.policy.take();
                    Ok(e)
                }
                RawRow::Other(v) => {
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
