//! A hash table from ids to slots that keeps short ids inside its buckets.
//!
//! Every row of every table names its customer, so resolving `customerId` is the hottest lookup
//! of a load. A general map needs several dependent memory reads per lookup (the bucket, then
//! the record, then its text) and each one misses the cache when millions of rows stream past;
//! here an id of up to 19 bytes is compared inside its 32-byte bucket, one read. Longer ids are
//! compared against their text through `text`, so a match is always exact.

use super::records::Slot;

const EMPTY: Slot = Slot::MAX;
const GONE: Slot = Slot::MAX - 1;
const INLINE: usize = 19;

#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(C, align(32))]
struct Bucket {
    hash: u64,
    slot: Slot,
    /// The id's length, or `u8::MAX` when it is longer than [`INLINE`].
    len: u8,
    key: [u8; INLINE],
}

const FREE: Bucket = Bucket { hash: 0, slot: EMPTY, len: 0, key: [0; INLINE] };

/// The table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyTable {
    buckets: Vec<Bucket>,
    len: usize,
    used: usize,
}

impl KeyTable {
    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }

    fn matches<'t>(b: &Bucket, hash: u64, id: &str, text: &dyn Fn(Slot) -> &'t str) -> bool {
        if b.hash != hash || b.slot == GONE {
            return false;
        }
        if id.len() <= INLINE {
            usize::from(b.len) == id.len() && &b.key[..id.len()] == id.as_bytes()
        } else {
            b.len == u8::MAX && text(b.slot) == id
        }
    }

    /// The slot of `id` (`hash` its hash; `text` gives a slot's id, for long ids).
    pub fn get<'t>(&self, id: &str, hash: u64, text: &dyn Fn(Slot) -> &'t str) -> Option<Slot> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut i = (hash >> 32) as usize & self.mask();
        loop {
            let b = &self.buckets[i];
            if b.slot == EMPTY {
                return None;
            }
            if Self::matches(b, hash, id, text) {
                return Some(b.slot);
            }
            i = (i + 1) & self.mask();
        }
    }

    /// Add `id` at `slot` (the id must not be in the table).
    pub fn insert(&mut self, id: &str, hash: u64, slot: Slot) {
        if (self.used + 1) * 8 > self.buckets.len() * 7 {
            self.grow();
        }
        let mut b = Bucket { hash, slot, len: u8::MAX, key: [0; INLINE] };
        if id.len() <= INLINE {
            b.len = id.len() as u8;
            b.key[..id.len()].copy_from_slice(id.as_bytes());
        }
        let mut i = (hash >> 32) as usize & self.mask();
        while self.buckets[i].slot != EMPTY {
            i = (i + 1) & self.mask();
        }
        self.buckets[i] = b;
        self.len += 1;
        self.used += 1;
    }

    /// Remove `id`; returns its slot.
    pub fn remove<'t>(&mut self, id: &str, hash: u64, text: &dyn Fn(Slot) -> &'t str) -> Option<Slot> {
        if self.buckets.is_empty() {
            return None;
        }
        let mut i = (hash >> 32) as usize & self.mask();
        loop {
            let b = &self.buckets[i];
            if b.slot == EMPTY {
                return None;
            }
            if Self::matches(b, hash, id, text) {
                let s = b.slot;
                self.buckets[i].slot = GONE;
                self.len -= 1;
                return Some(s);
            }
            i = (i + 1) & self.mask();
        }
    }

    // Twice the room for the live entries (removed ones are dropped).
    fn grow(&mut self) {
        let cap = ((self.len + 1) * 8 / 7 + 1).next_power_of_two().max(16);
        let old = std::mem::replace(&mut self.buckets, vec![FREE; cap]);
        self.used = 0;
        self.len = 0;
        for b in old.into_iter().filter(|b| b.slot != EMPTY && b.slot != GONE) {
            let mut i = (b.hash >> 32) as usize & self.mask();
            while self.buckets[i].slot != EMPTY {
                i = (i + 1) & self.mask();
            }
            self.buckets[i] = b;
            self.len += 1;
            self.used += 1;
        }
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ids::hash_id;

    #[test]
    fn short_and_long_ids_grow_and_remove() {
        let names: Vec<String> = (0..3000).map(|i| if i % 2 == 0 { format!("c{i}") } else { format!("a-very-long-customer-id-{i:08}") }).collect();
        let text = |s: Slot| names[s as usize].as_str();
        let mut t = KeyTable::default();
        for (i, n) in names.iter().enumerate() {
            t.insert(n, hash_id(n), i as Slot);
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.get(n, hash_id(n), &text), Some(i as Slot));
        }
        assert_eq!(t.get("nope", hash_id("nope"), &text), None);
        for (i, n) in names.iter().enumerate().step_by(3) {
            assert_eq!(t.remove(n, hash_id(n), &text), Some(i as Slot));
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.get(n, hash_id(n), &text), (i % 3 != 0).then_some(i as Slot));
        }
        assert_eq!(t.len(), 2000);
    }

    #[test]
    fn equal_hashes_are_told_apart_by_text() {
        let names = ["x", "y"];
        let text = |s: Slot| names[s as usize];
        let mut t = KeyTable::default();
        t.insert("x", 7, 0);
        t.insert("y", 7, 1);
        assert_eq!(t.get("y", 7, &text), Some(1));
        assert_eq!(t.get("x", 7, &text), Some(0));
        assert_eq!(t.get("z", 7, &text), None);
    }
}
