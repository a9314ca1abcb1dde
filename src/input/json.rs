//! The JSON reader: an export (or an envelope `{ asOf?, policy?, data }`) as UTF-8 bytes, read
//! in one pass straight into rows for a [`Sink`], without building a document.
//!
//! Strings borrow from the input unless they hold escapes; numbers are parsed by the standard
//! library (correctly rounded); unknown keys are skipped whatever they hold, iteratively, so no
//! nesting depth can exhaust the stack. Syntax errors name the line and column.

use super::records::Table;
use super::row::{fields, slot, At, Row, Sink, Val, BATCH};
use crate::error::{Error, Reason};
use std::borrow::Cow;

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

/// An id to remove, with its position in the update's list for that table.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// The table.
    pub table: Table,
    /// Position in the list.
    pub index: usize,
    /// The value given.
    pub id: Val<'static>,
}

/// Read an update `{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`: the upserted
/// rows go to the sink, the ids to remove are returned.
pub fn read_update(bytes: &[u8], sink: &mut dyn Sink) -> Result<Vec<Removal>, Error> {
    let mut p = Parser::new(bytes).map_err(|e| Error::input("update", e.into_reason()))?;
    let mut removals = Vec::new();
    let mut env = Envelope::default();
    let mut tables: [Option<String>; 8] = Default::default();
    let mut bad: Option<(String, String)> = None;
    p.ws();
    if p.peek() != Some(b'{') {
        let v = p.value_summary().map_err(|e| p.error("update", &e))?;
        return Err(Error::input("update", format!("expected an object `{{ upsert?, remove? }}`, got {}", v.quoted())));
    }
    let mut keys: Vec<Vec<u8>> = Vec::new();
    p.object(|p, key| {
        unique(&mut keys, key)?;
        match key {
            b"upsert" | b"remove" if p.peek() == Some(b'n') => p.literal(b"null"),
            b"upsert" if p.peek() == Some(b'{') => {
                let mut inner: Vec<Vec<u8>> = Vec::new();
                p.object(|p, k| {
                    unique(&mut inner, k)?;
                    match table_of(k) {
                        Some(t) => p.table(t, sink, &mut env, &mut tables),
                        None => {
                            bad.get_or_insert((format!("update.upsert.{}", String::from_utf8_lossy(k)), "unknown table".into()));
                            p.skip_value()
                        }
                    }
                })
            }
            b"remove" if p.peek() == Some(b'{') => {
                let mut inner: Vec<Vec<u8>> = Vec::new();
                p.object(|p, k| {
                    unique(&mut inner, k)?;
                    let Some(t) = table_of(k) else {
                        bad.get_or_insert((format!("update.remove.{}", String::from_utf8_lossy(k)), "unknown table".into()));
                        return p.skip_value();
                    };
                    if p.peek() != Some(b'[') {
                        match p.field()? {
                            Val::Absent => {}
                            v => {
                                bad.get_or_insert((format!("update.remove.{}", t.as_str()), format!("expected an array of ids, got {}", v.quoted())));
                            }
                        }
                        return Ok(());
                    }
                    p.i += 1;
                    p.ws();
                    if p.peek() == Some(b']') {
                        p.i += 1;
                        return Ok(());
                    }
                    let mut index = 0;
                    loop {
                        let id = p.value_summary()?;
                        removals.push(Removal { table: t, index, id: id.into_owned() });
                        index += 1;
                        p.ws();
                        match p.peek() {
                            Some(b',') => p.i += 1,
                            Some(b']') => {
                                p.i += 1;
                                return Ok(());
                            }
                            _ => return Err(p.unexpected("`,` or `]`")),
                        }
                    }
                })
            }
            b"upsert" | b"remove" => {
                let v = p.value_summary()?;
                let k = String::from_utf8_lossy(key).into_owned();
                bad.get_or_insert((format!("update.{k}"), format!("expected an object of tables, got {}", v.quoted())));
                Ok(())
            }
            k => {
                bad.get_or_insert((format!("update.{}", String::from_utf8_lossy(k)), "unknown key, expected upsert or remove".into()));
                p.skip_value()
            }
        }
    })
    .and_then(|()| p.end())
    .map_err(|e| p.error("update", &e))?;
    if let Some((path, reason)) = bad {
        return Err(Error::input(path, reason));
    }
    for (k, t) in Table::ALL.iter().enumerate() {
        if let Some(reason) = &tables[k] {
            return Err(Error::input(format!("update.upsert.{}", t.as_str()), reason.clone()));
        }
    }
    Ok(removals)
}

type R<T> = Result<T, String>;

/// Bytes that end the fast scan of a string: the quote, the backslash and control characters.
const STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// A cursor over the input.
pub(crate) struct Parser<'a> {
    pub text: &'a str,
    pub b: &'a [u8],
    pub i: usize,
}

impl<'a> Parser<'a> {
    /// A parser over UTF-8 bytes (checked once here, so strings are slices of valid text).
    pub fn new(bytes: &'a [u8]) -> Result<Self, Error> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(Parser { text, b: bytes, i: 0 }),
            Err(e) => {
                let p = Parser { text: "", b: bytes, i: e.valid_up_to() };
                Err(p.error("data", "invalid UTF-8"))
            }
        }
    }

    #[inline(always)]
    pub fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    pub fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    #[inline(always)]
    fn eat(&mut self, c: u8) -> R<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{}`", c as char)))
        }
    }

    fn unexpected(&self, what: &str) -> String {
        match self.peek() {
            None => "EOF while parsing a value".into(),
            Some(c) if c.is_ascii_graphic() => format!("expected {what}, found `{}`", c as char),
            Some(_) => format!("expected {what}"),
        }
    }

    /// The end of the input: only whitespace may follow.
    pub fn end(&mut self) -> R<()> {
        self.ws();
        if self.i < self.b.len() {
            Err("trailing characters".into())
        } else {
            Ok(())
        }
    }

    /// An error as the call reports it, at `path`.
    pub fn error(&self, path: &str, msg: &str) -> Error {
        let upto = &self.b[..self.i.min(self.b.len())];
        let line = upto.iter().filter(|c| **c == b'\n').count() + 1;
        let col = upto.iter().rev().take_while(|c| **c != b'\n').count() + 1;
        Error::input(path, format!("not valid JSON: {msg} at line {line} column {col}"))
    }

    pub fn literal(&mut self, word: &[u8]) -> R<()> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err("expected ident".into())
        }
    }

    /// A string at the cursor (which is at its opening quote).
    pub fn string(&mut self) -> R<Cow<'a, str>> {
        self.i += 1;
        let start = self.i;
        self.scan();
        match self.peek() {
            None => Err("EOF while parsing a string".into()),
            Some(b'"') => {
                let s = self.text.get(start..self.i).ok_or("invalid unicode")?;
                self.i += 1;
                Ok(Cow::Borrowed(s))
            }
            Some(b'\\') => self.escaped(start),
            Some(_) => Err("control character (\\u0000-\\u001F) found while parsing a string".into()),
        }
    }

    // Move to the next quote, backslash or control character (eight bytes at a time).
    #[inline]
    fn scan(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        let b = self.b;
        while let Some(c) = b.get(self.i..self.i + 8) {
            // Byte by byte: `copy_from_slice` is a call per chunk in a size-optimised module.
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            let q = w ^ (ONES * u64::from(b'"'));
            let e = w ^ (ONES * u64::from(b'\\'));
            let stop = (q.wrapping_sub(ONES) & !q | e.wrapping_sub(ONES) & !e | w.wrapping_sub(ONES * 0x20) & !w) & HIGH;
            if stop != 0 {
                self.i += (stop.trailing_zeros() / 8) as usize;
                return;
            }
            self.i += 8;
        }
        while let Some(&c) = b.get(self.i) {
            if STOP[c as usize] {
                return;
            }
            self.i += 1;
        }
    }

    // The rest of a string that holds escapes, from `start` (just after the opening quote).
    fn escaped(&mut self, start: usize) -> R<Cow<'a, str>> {
        let mut out: Vec<u8> = self.b[start..self.i].to_vec();
        loop {
            let Some(c) = self.peek() else { return Err("EOF while parsing a string".into()) };
            self.i += 1;
            match c {
                b'"' => return String::from_utf8(out).map(Cow::Owned).map_err(|_| "invalid unicode code point".into()),
                b'\\' => {
                    let Some(e) = self.peek() else { return Err("EOF while parsing a string".into()) };
                    self.i += 1;
                    match e {
                        b'"' => out.push(b'"'),
                        b'\\' => out.push(b'\\'),
                        b'/' => out.push(b'/'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let mut cp = self.hex4()?;
                            if (0xD800..0xDC00).contains(&cp) {
                                if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return Err("lone leading surrogate in hex escape".into());
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err("lone leading surrogate in hex escape".into());
                                }
                                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                            } else if (0xDC00..0xE000).contains(&cp) {
                                return Err("lone trailing surrogate in hex escape".into());
                            }
                            let ch = char::from_u32(cp).ok_or("invalid unicode code point")?;
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return Err("invalid escape".into()),
                    }
                }
                c if c < 0x20 => return Err("control character (\\u0000-\\u001F) found while parsing a string".into()),
                c => out.push(c),
            }
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let s = self.b.get(self.i..self.i + 4).ok_or("EOF while parsing a string")?;
        let mut v = 0u32;
        for &c in s {
            let d = (c as char).to_digit(16).ok_or("invalid escape")?;
            v = v * 16 + d;
        }
        self.i += 4;
        Ok(v)
    }

    /// A number at the cursor, checked against JSON's grammar.
    pub fn number(&mut self) -> R<f64> {
        let start = self.i;
        let b = self.b;
        let mut i = self.i;
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                while matches!(b.get(i), Some(b'0'..=b'9')) {
                    i += 1;
                }
            }
            _ => {
                self.i = i;
                return Err("invalid number".into());
            }
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            let d = i;
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
            if i == d {
                self.i = i;
                return Err("invalid number".into());
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let d = i;
            while matches!(b.get(i), Some(b'0'..=b'9')) {
                i += 1;
            }
            if i == d {
                self.i = i;
                return Err("invalid number".into());
            }
        }
        self.i = i;
        let text = self.text.get(start..i).ok_or("invalid number")?;
        text.parse::<f64>().map_err(|_| "invalid number".into())
    }

    /// Skip any value, iteratively (no nesting depth is too deep).
    pub fn skip_value(&mut self) -> R<()> {
        let mut open: Vec<u8> = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(c @ (b'{' | b'[')) => {
                    let close = if c == b'{' { b'}' } else { b']' };
                    self.i += 1;
                    self.ws();
                    if self.peek() == Some(close) {
                        self.i += 1;
                    } else {
                        open.push(close);
                        if close == b'}' {
                            self.key()?;
                        }
                        continue;
                    }
                }
                Some(b'"') => self.skip_string()?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'-' | b'0'..=b'9') => {
                    self.number()?;
                }
                _ => return Err(self.unexpected("value")),
            }
            // After a value: close containers, or go on with the next member.
            loop {
                let Some(&close) = open.last() else { return Ok(()) };
                self.ws();
                match self.peek() {
                    Some(b',') => {
                        self.i += 1;
                        if close == b'}' {
                            self.key()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.i += 1;
                        open.pop();
                    }
                    _ => return Err(self.unexpected(if close == b'}' { "`,` or `}`" } else { "`,` or `]`" })),
                }
            }
        }
    }

    // Skip a string without building it (unknown fields only).
    fn skip_string(&mut self) -> R<()> {
        self.i += 1;
        loop {
            self.scan();
            match self.peek() {
                None => return Err("EOF while parsing a string".into()),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(());
                }
                Some(b'\\') => self.i += 2,
                Some(_) => return Err("control character (\\u0000-\\u001F) found while parsing a string".into()),
            }
        }
    }

    // An object key and its colon.
    fn key(&mut self) -> R<()> {
        self.ws();
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a key"));
        }
        self.skip_string()?;
        self.eat(b':')
    }

    /// Iterate an object's members: `f` is called at each value with the key's bytes and must
    /// consume the value.
    pub fn object(&mut self, mut f: impl FnMut(&mut Self, &[u8]) -> R<()>) -> R<()> {
        self.eat(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.unexpected("a key"));
            }
            let k = self.string()?;
            self.eat(b':')?;
            self.ws();
            f(self, k.as_bytes())?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

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

    fn array(&mut self) -> R<Vec<Val<'a>>> {
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

    /// A table: an array of rows into the sink; anything else is remembered as a shape error.
    fn table(&mut self, t: Table, sink: &mut dyn Sink, env: &mut Envelope, shape: &mut [Option<String>; 8]) -> R<()> {
        let k = t as usize;
        match self.peek() {
            Some(b'[') => {}
            Some(b'n') => return self.literal(b"null"),
            _ => {
                let v = self.value_summary()?;
                shape[k] = Some(format!("expected an array of rows, got {}", v.quoted()));
                return Ok(());
            }
        }
        env.present[k] = true;
        self.i += 1;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            sink.table_end(t);
            return Ok(());
        }
        // No row takes fewer than about 40 bytes (`{"id":"x","customerId":"y","at":…}`).
        sink.table_start(t, (self.b.len() - self.i) / 40);
        let mut batch: Vec<(At, Row<'a>)> = Vec::with_capacity(BATCH);
        let mut index = 0usize;
        loop {
            self.ws();
            let at = At { index, line: None };
            if self.peek() == Some(b'{') {
                let mut row = Row::default();
                let mut unreadable: [Val<'a>; 2] = Default::default();
                self.object(|p, key| match slot(t, key) {
                    Some(s) => p.field_into(&mut row.vals[s]),
                    None if key.starts_with(b"\0") => match key {
                        UNREADABLE => p.field_into(&mut unreadable[0]),
                        UNREADABLE_FIELD => p.field_into(&mut unreadable[1]),
                        _ => p.skip_value(),
                    },
                    None => p.skip_value(),
                })?;
                if let Val::Str(why) = &unreadable[0] {
                    // A row the host could not read: one rejected row, in its place.
                    sink.rows(t, &batch);
                    batch.clear();
                    let field = match &unreadable[1] {
                        Val::Str(f) => slot(t, f.as_bytes()).map(|s| fields(t)[s]),
                        _ => None,
                    };
                    let id = match row.get(0) {
                        Val::Str(id) => Some(id.to_string()),
                        Val::Num(n) => Some(crate::num::Num(*n).to_string()),
                        _ => None,
                    };
                    sink.broken(t, at, id, field, Reason::Unreadable(why.to_string()));
                } else {
                    batch.push((at, row));
                }
                if batch.len() == BATCH {
                    sink.rows(t, &batch);
                    batch.clear();
                }
            } else {
                sink.rows(t, &batch);
                batch.clear();
                let v = self.value_summary()?;
                sink.other(t, at, &v);
            }
            index += 1;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    sink.rows(t, &batch);
                    env.received[k] = index;
                    sink.table_end(t);
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }
}
