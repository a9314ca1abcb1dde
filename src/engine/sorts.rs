//! The orders of the customers list and of the worklist: one `u64` key per item, computed once
//! per query (names and owners by rank, numbers by their order-preserving bits), then one sort
//! of `(key, position)` pairs — stable by construction, no allocation or string comparison per
//! comparison. The folded-name ranks are kept until the next update.

use super::Engine;
use crate::input::strings::Own;
use crate::sort::{key_f64, sort_pairs};
use std::rc::Rc;

/// The key of a number: `−0` and `+0` equal, as the lists compare them.
pub fn num(x: f64) -> u64 {
    key_f64(x + 0.0)
}

/// Reorders `v` by `key` (descending with `desc`), equal keys keeping their order. (The key is a
/// trait object: one copy of this code per item type, not one per sort field.)
pub fn sort_by_key<T: Copy>(v: &mut [T], desc: bool, key: &dyn Fn(&T) -> u64) {
    let keys: Vec<u64> = v.iter().map(key).collect();
    let order = positions(keys, desc);
    let old: Vec<T> = v.to_vec();
    for (slot, i) in v.iter_mut().zip(order) {
        *slot = old[i as usize];
    }
}

/// The positions of `keys` in key order (descending with `desc`), ties by position.
#[inline(never)]
fn positions(keys: Vec<u64>, desc: bool) -> Vec<u32> {
    let mut pairs: Vec<(u64, u32)> = keys.into_iter().enumerate().map(|(i, k)| (if desc { !k } else { k }, i as u32)).collect();
    sort_pairs(&mut pairs);
    pairs.into_iter().map(|(_, i)| i).collect()
}

/// Ranks of strings in their order: `ranks[i]` is the rank of `names[i]` (equal strings share one).
fn ranks(names: &[&str]) -> Vec<u32> {
    // Each name's first 8 bytes as a big-endian number (zero-padded) order names as the bytes
    // do wherever they differ; only names with equal prefixes are compared in full.
    let prefix = |s: &str| {
        let mut b = [0u8; 8];
        let n = s.len().min(8);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        u64::from_be_bytes(b)
    };
    let mut idx: Vec<u32> = (0..names.len() as u32).collect();
    crate::sort::by_key_then(&mut idx, &|i| prefix(names[i as usize]), &|a, b| names[a as usize].cmp(names[b as usize]));
    let mut out = vec![0u32; names.len()];
    let mut rank = 0u32;
    for (n, w) in idx.iter().enumerate() {
        if n > 0 && names[idx[n - 1] as usize] != names[*w as usize] {
            rank += 1;
        }
        out[*w as usize] = rank;
    }
    out
}

impl Engine {
    /// Each customer slot's rank by folded name (no name sorts as the empty one).
    pub(super) fn name_ranks(&self) -> Rc<Vec<u32>> {
        if let Some(r) = &self.cache.borrow().name_ranks {
            return r.clone();
        }
        let d = &self.store.data;
        let folded: Vec<String> = (0..d.customers.len()).map(|c| super::fold::fold(d.opt(d.customers[c].name).unwrap_or(""))).collect();
        let r = Rc::new(ranks(&folded.iter().map(String::as_str).collect::<Vec<_>>()));
        self.cache.borrow_mut().name_ranks = Some(r.clone());
        r
    }

    /// Each owner's rank by name (indexed by the owner's number).
    pub(super) fn owner_ranks(&self) -> Vec<u32> {
        let owners = &self.store.data.owners;
        let names: Vec<&str> = (0..owners.len() as u32).map(|i| owners.name(Own(i))).collect();
        ranks(&names)
    }
}

/// The key of an owner among `ranks` (from [`Engine::owner_ranks`]): no owner first.
pub fn owner_key(ranks: &[u32], o: Option<Own>) -> u64 {
    o.and_then(|o| ranks.get(o.0 as usize)).map_or(0, |k| u64::from(*k) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_by_key_is_stable_both_ways() {
        let mut v = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        sort_by_key(&mut v, false, &|x| x.0);
        assert_eq!(v.map(|x| x.1), ['b', 'e', 'd', 'a', 'c']);
        sort_by_key(&mut v, true, &|x| x.0);
        assert_eq!(v.map(|x| x.1), ['a', 'c', 'd', 'b', 'e']);
    }

    #[test]
    fn numbers_keep_their_order_and_zeros_are_equal() {
        let xs = [-1e9, -2.5, -0.0, 0.0, 1e-9, 3.0, f64::INFINITY];
        for w in xs.windows(2) {
            assert!(num(w[0]) <= num(w[1]));
        }
        assert_eq!(num(-0.0), num(0.0));
        assert!(num(-2.5) < num(-0.0));
    }

    #[test]
    fn ranks_share_equal_strings() {
        assert_eq!(ranks(&["b", "a", "b", "c", ""]), vec![2, 1, 2, 3, 0]);
        // Past the first 8 bytes, and names that are prefixes of others (a NUL sorts first).
        assert_eq!(ranks(&["abcdefghZ", "abcdefghA", "abcdefgh", "abc", "abc\0", "ab"]), vec![5, 4, 3, 1, 2, 0]);
    }
}
