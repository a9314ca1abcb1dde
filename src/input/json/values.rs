//! Values read by the tokenizer: any JSON value as a `serde_json::Value` (depth-limited), and a
//! row's field as a [`Val`] (scalars borrowed, short arrays, anything else summarised).

use super::{Parser, MAX_ARRAY_ITEMS, MAX_DEPTH, R};
use crate::input::row::Val;
use std::borrow::Cow;

impl<'a> Parser<'a> {
    /// A value as JSON (for `asOf` and `policy`); `null` is `None`.
    pub fn json_value(&mut self) -> R<Option<serde_json::Value>> {
        let v = self.value(0)?;
        Ok((!v.is_null()).then_some(v))
    }

    /// Any value as a `serde_json::Value`, nested at most [`MAX_DEPTH`] deep.
    pub fn value(&mut self, depth: usize) -> R<serde_json::Value> {
        use serde_json::Value as J;
        if depth > MAX_DEPTH {
            return Err("recursion limit exceeded".into());
        }
        self.ws();
        Ok(match self.peek() {
            Some(b'"') => J::String(self.string()?.into_owned()),
            Some(b'-' | b'0'..=b'9') => {
                let start = self.i;
                let x = self.number()?;
                let text = self.text.get(start..self.i).unwrap_or("");
                let n = if text.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
                    match (text.parse::<i64>(), text.parse::<u64>()) {
                        (Ok(i), _) => Some(serde_json::Number::from(i)),
                        (_, Ok(u)) => Some(serde_json::Number::from(u)),
                        _ => serde_json::Number::from_f64(x),
                    }
                } else {
                    serde_json::Number::from_f64(x)
                };
                J::Number(n.ok_or("number out of range")?)
            }
            Some(b't') => {
                self.literal(b"true")?;
                J::Bool(true)
            }
            Some(b'f') => {
                self.literal(b"false")?;
                J::Bool(false)
            }
            Some(b'n') => {
                self.literal(b"null")?;
                J::Null
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.peek() == Some(b']') {
                    self.i += 1;
                    return Ok(J::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    match self.peek() {
                        Some(b',') => self.i += 1,
                        Some(b']') => {
                            self.i += 1;
                            return Ok(J::Array(items));
                        }
                        _ => return Err(self.unexpected("`,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                let mut m = serde_json::Map::new();
                self.object(|p, k| {
                    let key = String::from_utf8_lossy(k).into_owned();
                    let v = p.value(depth + 1)?;
                    m.insert(key, v);
                    Ok(())
                })?;
                J::Object(m)
            }
            _ => return Err(self.unexpected("value")),
        })
    }

    /// A field's value: scalars as they are, arrays of scalars one level deep, objects without
    /// their contents; `null` is absent.
    pub fn field(&mut self) -> R<Val<'a>> {
        let mut v = Val::Absent;
        self.field_into(&mut v)?;
        Ok(v)
    }

    /// [`Parser::field`] written into place.
    pub fn field_into(&mut self, out: &mut Val<'a>) -> R<()> {
        self.ws();
        match self.peek() {
            Some(b'"') => {
                self.i += 1;
                let start = self.i;
                self.scan();
                if self.peek() == Some(b'"') {
                    *out = Val::Str(Cow::Borrowed(self.text.get(start..self.i).ok_or("invalid unicode")?));
                    self.i += 1;
                } else {
                    self.i = start - 1;
                    *out = Val::Str(self.string()?);
                }
            }
            Some(b'-' | b'0'..=b'9') => *out = Val::Num(self.number()?),
            Some(b't') => {
                self.literal(b"true")?;
                *out = Val::Bool(true);
            }
            Some(b'f') => {
                self.literal(b"false")?;
                *out = Val::Bool(false);
            }
            Some(b'n') => {
                self.literal(b"null")?;
                *out = Val::Absent;
            }
            Some(b'{') => {
                self.skip_value()?;
                *out = Val::Object;
            }
            Some(b'[') => *out = Val::Array(self.array()?),
            _ => return Err(self.unexpected("value")),
        }
        Ok(())
    }

    pub(super) fn array(&mut self) -> R<Vec<Val<'a>>> {
        self.i += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(items);
        }
        loop {
            self.ws();
            let v = match self.peek() {
                Some(b'[') => {
                    self.skip_value()?;
                    Val::Array(Vec::new())
                }
                _ => match self.field()? {
                    Val::Absent => Val::Null,
                    v => v,
                },
            };
            if items.len() < MAX_ARRAY_ITEMS {
                items.push(v);
            } else if items.len() == MAX_ARRAY_ITEMS {
                items.push(Val::Object);
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(items);
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    /// A value described for a message (a row or a table that has the wrong type).
    pub fn value_summary(&mut self) -> R<Val<'a>> {
        Ok(match self.field()? {
            Val::Absent => Val::Null,
            v => v,
        })
    }
}
