//! Id → slot maps of the tables, without a string allocation per id: keyed by a 64-bit hash of
//! the id, the text compared against the record's own id in the arena. Two different ids with
//! the same hash (astronomically rare, but possible for chosen ids) go to a small exact map.

use super::hash::{IdHasher, IdMap};
use super::records::Slot;
use std::hash::Hasher;

/// The hash of an id.
pub fn hash_id(s: &str) -> u64 {
    let mut h = IdHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    h.finish()
}

/// An id index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ids {
    by_hash: IdMap<u64, Slot>,
    exact: IdMap<Box<str>, Slot>,
}

impl Ids {
    /// An index with room for `n` ids.
    pub fn with_capacity(n: usize) -> Self {
        let mut by_hash = IdMap::default();
        by_hash.reserve(n);
        Ids { by_hash, exact: IdMap::default() }
    }

    /// The slot of `id`; `text` gives the id of a slot.
    pub fn get<'t>(&self, id: &str, text: impl Fn(Slot) -> &'t str) -> Option<Slot> {
        let h = hash_id(id);
        match self.by_hash.get(&h) {
            Some(s) if text(*s) == id => Some(*s),
            Some(_) => self.exact.get(id).copied(),
            None => None,
        }
    }

    /// Add `id` at `slot` (the id must not be in the index).
    pub fn insert<'t>(&mut self, id: &str, slot: Slot, text: impl Fn(Slot) -> &'t str) {
        let h = hash_id(id);
        match self.by_hash.get(&h) {
            Some(s) if text(*s) != id => {
                self.exact.insert(id.into(), slot);
            }
            _ => {
                self.by_hash.insert(h, slot);
            }
        }
    }

    /// Remove `id`; returns its slot.
    pub fn remove<'t>(&mut self, id: &str, text: impl Fn(Slot) -> &'t str) -> Option<Slot> {
        let h = hash_id(id);
        match self.by_hash.get(&h).copied() {
            Some(s) if text(s) == id => {
                self.by_hash.remove(&h);
                // Promote an exact entry with the same hash, if any.
                let moved = self.exact.iter().find(|(k, _)| hash_id(k) == h).map(|(k, v)| (k.clone(), *v));
                if let Some((k, v)) = moved {
                    self.exact.remove(&k);
                    self.by_hash.insert(h, v);
                }
                Some(s)
            }
            Some(_) => self.exact.remove(id),
            None => None,
        }
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.by_hash.len() + self.exact.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_remove() {
        let names = ["a", "b", "c"];
        let text = |s: Slot| names[s as usize];
        let mut ids = Ids::default();
        for (i, n) in names.iter().enumerate() {
            ids.insert(n, i as Slot, text);
        }
        assert_eq!(ids.get("b", text), Some(1));
        assert_eq!(ids.get("z", text), None);
        assert_eq!(ids.remove("b", text), Some(1));
        assert_eq!(ids.get("b", text), None);
        assert_eq!(ids.len(), 2);
    }

    #[test]
    fn colliding_hashes_stay_exact() {
        // Force a collision: two slots whose texts differ but are looked up under one hash.
        let names = ["x", "y"];
        let text = |s: Slot| names[s as usize];
        let mut ids = Ids::default();
        ids.by_hash.insert(hash_id("y"), 0); // "x"'s slot sits under "y"'s hash
        ids.insert("y", 1, text);
        assert_eq!(ids.get("y", text), Some(1));
        assert_eq!(ids.remove("y", text), Some(1));
        assert_eq!(ids.get("y", text), None);
    }
}
