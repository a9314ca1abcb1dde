//! Text of the records, kept in one arena: an id or a name is a [`Str`] (offset and length)
//! into it, so a million rows do not mean a million allocations. Owners (few distinct names
//! on many rows) are interned as [`Own`].

use crate::hash::IdMap;

/// A string in the arena.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Str {
    start: u32,
    len: u32,
}

impl Str {
    /// Its length in bytes.
    pub fn len(self) -> usize {
        self.len as usize
    }

    /// Whether it is empty.
    pub fn is_empty(self) -> bool {
        self.len == 0
    }
}

/// An interned owner name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Own(pub u32);

/// The arena.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strings {
    buf: String,
    /// Bytes no longer referenced (text of replaced or removed rows).
    pub garbage: usize,
    full: bool,
}

/// The arena's limit (offsets are 32-bit).
pub const MAX_BYTES: usize = u32::MAX as usize;

impl Strings {
    /// Add a string. When the arena is full the empty string is returned and [`Strings::full`]
    /// says so (the loader then refuses the input).
    pub fn add(&mut self, s: &str) -> Str {
        if self.buf.len() + s.len() > MAX_BYTES {
            self.full = true;
            return Str::default();
        }
        let start = self.buf.len() as u32;
        self.buf.push_str(s);
        Str { start, len: s.len() as u32 }
    }

    /// The text of a string.
    #[inline(always)]
    pub fn get(&self, s: Str) -> &str {
        self.buf.get(s.start as usize..s.start as usize + s.len as usize).unwrap_or("")
    }

    /// Whether an `add` was refused.
    pub fn full(&self) -> bool {
        self.full
    }

    /// Bytes in use.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// Forget everything added after the arena had `len` bytes (a row that was rejected after
    /// its text was stored).
    pub fn truncate(&mut self, len: usize) {
        if len <= self.buf.len() && self.buf.is_char_boundary(len) {
            self.buf.truncate(len);
        }
    }

    /// Reserve room for `n` more bytes.
    pub fn reserve(&mut self, n: usize) {
        self.buf.reserve(n.min(MAX_BYTES.saturating_sub(self.buf.len())));
    }
}

/// Interned owner names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Owners {
    names: Vec<String>,
    index: IdMap<String, u32>,
}

impl Owners {
    /// The owner of a name, added when new.
    pub fn intern(&mut self, name: &str) -> Own {
        if let Some(o) = self.index.get(name) {
            return Own(*o);
        }
        let o = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), o);
        Own(o)
    }

    /// An owner's name.
    pub fn name(&self, o: Own) -> &str {
        self.names.get(o.0 as usize).map_or("", String::as_str)
    }

    /// The owner of a name, if known.
    pub fn find(&self, name: &str) -> Option<Own> {
        self.index.get(name).map(|o| Own(*o))
    }

    /// How many names.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
