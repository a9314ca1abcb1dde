//! Id → slot maps of the tables, without a string allocation per id: keyed by a 64-bit hash of
//! the id, every match checked against the record's own id text (so two ids with the same hash
//! never mix).
//!
//! A load writes `(hash, slot)` pairs in order and sorts them once ([`Ids::from_pairs`]), which
//! stays in cache order: building a hash table row by row would miss the cache on every row of a
//! million-row table. Updates go to a small hash map on top; removals mark the sorted entry.
//! When the overlay grows past an eighth of the sorted part, both are merged.

use crate::hash::{IdHasher, IdMap};
use super::records::Slot;
use std::hash::Hasher;

/// The hash of an id.
pub fn hash_id(s: &str) -> u64 {
    let mut h = IdHasher::default();
    h.write(s.as_bytes());
    h.write_u8(0xff);
    // A final mix, so that every bit of the id reaches the high bits the sort looks at.
    let x = h.finish();
    let x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 29)
}

const GONE: Slot = Slot::MAX;

/// An id index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ids {
    /// Sorted by hash, then slot; removed entries have slot [`GONE`].
    base: Vec<(u64, Slot)>,
    removed: usize,
    overlay: IdMap<u64, Slot>,
    /// Ids of the overlay whose hash another overlay id has.
    exact: IdMap<Box<str>, Slot>,
}

impl Ids {
    /// An index of these `(hash, slot)` pairs, each slot's id distinct.
    pub fn from_pairs(mut pairs: Vec<(u64, Slot)>) -> Self {
        sort_pairs(&mut pairs);
        Ids { base: pairs, ..Ids::default() }
    }

    fn run(&self, h: u64) -> &[(u64, Slot)] {
        let lo = self.base.partition_point(|p| p.0 < h);
        let hi = lo + self.base[lo..].partition_point(|p| p.0 == h);
        &self.base[lo..hi]
    }

    /// The slot of `id`; `text` gives the id of a slot.
    pub fn get<'t>(&self, id: &str, text: impl Fn(Slot) -> &'t str) -> Option<Slot> {
        let h = hash_id(id);
        if let Some(s) = self.overlay.get(&h) {
            if text(*s) == id {
                return Some(*s);
            }
        }
        if !self.exact.is_empty() {
            if let Some(s) = self.exact.get(id) {
                return Some(*s);
            }
        }
        self.run(h).iter().map(|p| p.1).find(|s| *s != GONE && text(*s) == id)
    }

    /// Add `id` at `slot` (the id must not be in the index).
    pub fn insert<'t>(&mut self, id: &str, slot: Slot, text: impl Fn(Slot) -> &'t str) {
        let h = hash_id(id);
        match self.overlay.get(&h) {
            Some(s) if text(*s) != id => {
                self.exact.insert(id.into(), slot);
            }
            _ => {
                self.overlay.insert(h, slot);
            }
        }
        if !self.base.is_empty() && self.overlay.len() > 1024 && self.overlay.len() * 8 > self.base.len() {
            self.merge();
        }
    }

    fn merge(&mut self) {
        let mut all: Vec<(u64, Slot)> = self.base.iter().copied().filter(|p| p.1 != GONE).collect();
        all.extend(self.overlay.drain());
        let exact = std::mem::take(&mut self.exact);
        all.extend(exact.into_iter().map(|(k, s)| (hash_id(&k), s)));
        sort_pairs(&mut all);
        self.base = all;
        self.removed = 0;
    }

    /// Remove `id`; returns its slot.
    pub fn remove<'t>(&mut self, id: &str, text: impl Fn(Slot) -> &'t str) -> Option<Slot> {
        let h = hash_id(id);
        if let Some(s) = self.overlay.get(&h).copied() {
            if text(s) == id {
                self.overlay.remove(&h);
                return Some(s);
            }
        }
        if let Some(s) = self.exact.remove(id) {
            return Some(s);
        }
        let lo = self.base.partition_point(|p| p.0 < h);
        let k = (lo..self.base.len()).take_while(|k| self.base[*k].0 == h).find(|k| {
            let s = self.base[*k].1;
            s != GONE && text(s) == id
        })?;
        let s = self.base[k].1;
        self.base[k].1 = GONE;
        self.removed += 1;
        if self.removed > 1024 && self.removed * 2 > self.base.len() {
            self.merge();
        }
        Some(s)
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.base.len() - self.removed + self.overlay.len() + self.exact.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Sort pairs by hash, then slot: one pass spreads them by the hash's top byte into 256 runs,
/// then each run (a few thousand pairs) is sorted while it sits in cache.
pub fn sort_pairs(v: &mut Vec<(u64, Slot)>) {
    if v.len() < 4096 {
        crate::sort::sort_pairs(v);
        return;
    }
    let mut count = [0usize; 257];
    for p in v.iter() {
        count[(p.0 >> 56) as usize + 1] += 1;
    }
    for k in 0..256 {
        count[k + 1] += count[k];
    }
    let starts = count;
    let mut out = vec![(0u64, 0 as Slot); v.len()];
    for p in v.iter() {
        let k = (p.0 >> 56) as usize;
        out[count[k]] = *p;
        count[k] += 1;
    }
    for k in 0..256 {
        crate::sort::sort_pairs(&mut out[starts[k]..starts[k + 1]]);
    }
    *v = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_get_remove() {
        let names = ["a", "b", "c", "d"];
        let text = |s: Slot| names[s as usize];
        let mut ids = Ids::from_pairs(vec![(hash_id("a"), 0), (hash_id("b"), 1)]);
        ids.insert("c", 2, text);
        assert_eq!(ids.get("b", text), Some(1));
        assert_eq!(ids.get("c", text), Some(2));
        assert_eq!(ids.get("z", text), None);
        assert_eq!(ids.remove("b", text), Some(1));
        assert_eq!(ids.get("b", text), None);
        assert_eq!(ids.remove("c", text), Some(2));
        assert_eq!(ids.len(), 1);
    }

    #[test]
    fn colliding_hashes_stay_exact() {
        // "x" sits under "y"'s hash in both parts: lookups still find each id's own slot.
        let names = ["x", "y", "w"];
        let text = |s: Slot| names[s as usize];
        let mut ids = Ids::from_pairs(vec![(hash_id("y"), 0)]);
        ids.insert("y", 1, text);
        assert_eq!(ids.get("y", text), Some(1));
        assert_eq!(ids.get("x", text), None);
        ids.overlay.insert(hash_id("w"), 0);
        ids.insert("w", 2, text);
        assert_eq!(ids.get("w", text), Some(2));
        assert_eq!(ids.remove("w", text), Some(2));
        assert_eq!(ids.get("w", text), None);
    }

    #[test]
    fn radix_sort_orders_by_hash_then_slot() {
        let mut v: Vec<(u64, Slot)> = (0..5000u32).map(|i| (hash_id(&(i % 1000).to_string()), i)).collect();
        let mut w = v.clone();
        sort_pairs(&mut v);
        w.sort_unstable();
        assert_eq!(v, w);
    }

    #[test]
    fn merges_keep_everything() {
        let names: Vec<String> = (0..5000).map(|i| format!("id{i}")).collect();
        let text = |s: Slot| names[s as usize].as_str();
        let mut ids = Ids::default();
        for (i, n) in names.iter().enumerate() {
            ids.insert(n, i as Slot, text);
        }
        for (i, n) in names.iter().enumerate().step_by(3) {
            assert_eq!(ids.remove(n, text), Some(i as Slot));
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(ids.get(n, text), (i % 3 != 0).then_some(i as Slot), "{n}");
        }
    }
}
