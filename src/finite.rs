//! Finding a non-finite number in a value before it is serialised: serde_json writes NaN and
//! infinities as `null`, so a check of the JSON text can never see one. Tests and fuzz targets
//! run [`non_finite`] on the `Report` itself.

use serde::ser::{self, Serialize};
use std::fmt;

/// Where the first non-finite number is (`customers[3].health.score`), or `None`.
pub fn non_finite<T: Serialize + ?Sized>(v: &T) -> Option<String> {
    v.serialize(Finder).err().map(|e| e.0)
}

/// The path of a non-finite number (or another serialisation error's words).
#[derive(Debug)]
pub struct Found(String);

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Found(msg.to_string())
    }
}

fn at(e: Found, step: &str) -> Found {
    Found(if e.0.is_empty() || e.0.starts_with('[') || e.0.starts_with('.') { format!("{step}{}", e.0) } else { format!("{step}.{}", e.0) })
}

/// A serializer that writes nothing and fails at the first non-finite number.
#[derive(Clone, Copy)]
struct Finder;

/// Compound values: the position reached, for the path.
struct Inner(usize);

type R = Result<(), Found>;

macro_rules! fine {
    ($($name:ident: $t:ty),*) => {
        $(fn $name(self, _: $t) -> R { Ok(()) })*
    };
}

impl ser::Serializer for Finder {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Inner;
    type SerializeTuple = Inner;
    type SerializeTupleStruct = Inner;
    type SerializeTupleVariant = Inner;
    type SerializeMap = Inner;
    type SerializeStruct = Inner;
    type SerializeStructVariant = Inner;

    fine!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
          serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64, serialize_char: char,
          serialize_str: &str, serialize_bytes: &[u8]);

    fn serialize_f32(self, v: f32) -> R {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R {
        if v.is_finite() {
            Ok(())
        } else {
            Err(Found(String::new()))
        }
    }
    fn serialize_none(self) -> R {
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_unit(self) -> R {
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> R {
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, v: &T) -> R {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, v: &T) -> R {
        v.serialize(self).map_err(|e| at(e, variant))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_tuple(self, _: usize) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Inner, Found> {
        Ok(Inner(0))
    }
}

impl Inner {
    fn item<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        let i = self.0;
        self.0 += 1;
        v.serialize(Finder).map_err(|e| at(e, &format!("[{i}]")))
    }
}

macro_rules! items {
    ($($tr:ident :: $m:ident),*) => {
        $(impl ser::$tr for Inner {
            type Ok = ();
            type Error = Found;
            fn $m<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
                self.item(v)
            }
            fn end(self) -> R {
                Ok(())
            }
        })*
    };
}

items!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field);

impl ser::SerializeMap for Inner {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> R {
        k.serialize(Finder)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> R {
        self.item(v)
    }
    fn end(self) -> R {
        Ok(())
    }
}

macro_rules! fields {
    ($($tr:ident),*) => {
        $(impl ser::$tr for Inner {
            type Ok = ();
            type Error = Found;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, v: &T) -> R {
                v.serialize(Finder).map_err(|e| at(e, key))
            }
            fn end(self) -> R {
                Ok(())
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    struct Health {
        score: f64,
        parts: Vec<f64>,
        trend: Option<f64>,
    }

    #[derive(serde::Serialize)]
    struct Customer {
        id: &'static str,
        health: Health,
    }

    #[test]
    fn finds_the_first_non_finite_number_and_names_its_path() {
        let ok = Customer { id: "c1", health: Health { score: 1.0, parts: vec![1.0, 2.0], trend: None } };
        assert_eq!(non_finite(&ok), None);
        let nan = Customer { id: "c1", health: Health { score: 1.0, parts: vec![1.0, f64::NAN], trend: None } };
        assert_eq!(non_finite(&vec![ok, nan]).as_deref(), Some("[1].health.parts[1]"));
        let inf = Health { score: 1.0, parts: vec![], trend: Some(f64::INFINITY) };
        assert_eq!(non_finite(&inf).as_deref(), Some("trend"));
        // serde_json hides them: the text has `null` where the value had NaN.
        assert!(serde_json::to_string(&inf).unwrap().contains("null"));
    }
}
