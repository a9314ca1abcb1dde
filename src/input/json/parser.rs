//! The JSON tokenizer: a cursor over UTF-8 text — whitespace, literals, strings (borrowed unless
//! they hold escapes), numbers (correctly rounded by the standard library), objects key by key,
//! and values skipped iteratively whatever their depth. Errors name the line and column.

use super::R;
use crate::error::Error;
use std::borrow::Cow;


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
    pub(super) fn eat(&mut self, c: u8) -> R<()> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.unexpected(&format!("`{}`", c as char)))
        }
    }

    pub(super) fn unexpected(&self, what: &str) -> String {
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
    pub(super) fn scan(&mut self) {
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
    pub(super) fn escaped(&mut self, start: usize) -> R<Cow<'a, str>> {
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

    pub(super) fn hex4(&mut self) -> R<u32> {
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
    pub(super) fn skip_string(&mut self) -> R<()> {
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
    pub(super) fn key(&mut self) -> R<()> {
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
}
