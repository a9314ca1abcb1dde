//! One shared sort routine and a median, used by the input, the statistics and the scores.
//!
//! Every stable sort of the crate goes through [`sort_by`] (over a permutation of indices): a
//! generic sort per call site would carry its own copy of the sorting code into the WebAssembly
//! module.

use std::cmp::Ordering;

/// Sort by a comparator, stable.
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = permutation(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut old: Vec<Option<T>> = v.drain(..).map(Some).collect();
    for i in order {
        if let Some(x) = old.get_mut(i).and_then(Option::take) {
            v.push(x);
        }
    }
}

/// The stable order of `0..n` under `cmp`.
pub fn permutation(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|a, b| cmp(*a, *b));
    idx
}

/// Sort `(key, value)` pairs by key, then value: the one unstable sort of the crate, for the
/// hot paths (millions of ids, every customer's rows). Other orders are encoded into such keys.
pub fn sort_pairs(v: &mut [(u64, u32)]) {
    v.sort_unstable();
}

/// Sort `(key, value)` pairs as [`sort_pairs`] does, by a least-significant-digit radix sort
/// (bytes, the value's first; a byte equal in every pair is skipped; the counts of every byte
/// in one read): linear, for the large arrays sorted again and again (the tiers of a history's
/// past instants). Takes a buffer of the same size.
pub fn radix_pairs(v: &mut Vec<(u64, u32)>) {
    if v.len() < 1024 {
        sort_pairs(v);
        return;
    }
    // Byte k of a pair: k < 4 the value's, else the key's.
    let byte = |p: &(u64, u32), k: usize| if k < 4 { ((p.1 >> (8 * k)) & 0xff) as usize } else { ((p.0 >> (8 * (k - 4))) & 0xff) as usize };
    let mut counts = vec![[0usize; 256]; 12];
    for p in v.iter() {
        for (k, c) in counts.iter_mut().enumerate() {
            c[byte(p, k)] += 1;
        }
    }
    let mut buf: Vec<(u64, u32)> = vec![(0, 0); v.len()];
    for (k, count) in counts.iter_mut().enumerate() {
        if count.contains(&v.len()) {
            continue;
        }
        let mut sum = 0;
        for c in count.iter_mut() {
            let n = *c;
            *c = sum;
            sum += n;
        }
        for p in v.iter() {
            let d = byte(p, k);
            buf[count[d]] = *p;
            count[d] += 1;
        }
        std::mem::swap(v, &mut buf);
    }
}

/// An order-preserving `u64` key of an `i64`.
pub fn key_i64(x: i64) -> u64 {
    (x as u64) ^ (1 << 63)
}

/// An order-preserving `u64` key of an `f64` (the total order: −0 before +0, NaN last).
pub fn key_f64(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | (1 << 63)
    }
}

/// The number of a [`key_f64`] key.
pub fn from_key_f64(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Sort numbers in their total order.
pub fn sort_f64(v: &mut [f64]) {
    let mut keys: Vec<(u64, u32)> = v.iter().map(|x| (key_f64(*x), 0)).collect();
    sort_pairs(&mut keys);
    for (x, (k, _)) in v.iter_mut().zip(keys) {
        let b = if k >> 63 == 1 { k & !(1 << 63) } else { !k };
        *x = f64::from_bits(b);
    }
}

/// Sort instants (or any `i64`).
pub fn sort_i64(v: &mut [i64]) {
    let mut keys: Vec<(u64, u32)> = v.iter().map(|x| (key_i64(*x), 0)).collect();
    sort_pairs(&mut keys);
    for (x, (k, _)) in v.iter_mut().zip(keys) {
        *x = (k ^ (1 << 63)) as i64;
    }
}

/// Sort slots (or any `u32`).
pub fn sort_u32(v: &mut [u32]) {
    let mut keys: Vec<(u64, u32)> = v.iter().map(|x| (u64::from(*x), 0)).collect();
    sort_pairs(&mut keys);
    for (x, (k, _)) in v.iter_mut().zip(keys) {
        *x = k as u32;
    }
}

/// Sort slots by a `u64` key, then those with equal keys by `tie` (a total order of distinct
/// slots, e.g. by id): the keys go through [`sort_pairs`], and only runs of equal keys through
/// the comparator — most of a portfolio's ranks (by revenue, by priority) are decided by the
/// number alone, and a comparator call per comparison is what made those sorts slow.
pub fn by_key_then(v: &mut Vec<u32>, key: &dyn Fn(u32) -> u64, tie: &dyn Fn(u32, u32) -> Ordering) {
    let mut pairs: Vec<(u64, u32)> = v.iter().map(|s| (key(*s), *s)).collect();
    sort_pairs(&mut pairs);
    v.clear();
    let mut run: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < pairs.len() {
        let j = i + pairs[i..].iter().take_while(|p| p.0 == pairs[i].0).count();
        if j - i == 1 {
            v.push(pairs[i].1);
        } else {
            run.clear();
            run.extend(pairs[i..j].iter().map(|p| p.1));
            sort_by(&mut run, |a, b| tie(*a, *b));
            v.extend_from_slice(&run);
        }
        i = j;
    }
}

/// Sort strings (ids) in byte order.
pub fn sort_strings(v: &mut Vec<String>) {
    sort_by(v, |a, b| a.cmp(b));
}

/// The median of `xs` (sorted in place); `None` when empty.
pub fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    sort_f64(xs);
    let m = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[m]
    } else {
        (xs[m - 1] + xs[m]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_key_then_orders_runs_of_equal_keys_by_the_tie() {
        let keys = [3u64, 1, 3, 2, 1, 3, 0];
        let names = ["d", "z", "a", "m", "b", "c", "q"];
        let mut v: Vec<u32> = (0..7).collect();
        by_key_then(&mut v, &|s| keys[s as usize], &|a, b| names[a as usize].cmp(names[b as usize]));
        assert_eq!(v, vec![6, 4, 1, 3, 2, 5, 0]);
        // The same order as one comparator sort.
        let mut w: Vec<u32> = (0..7).collect();
        sort_by(&mut w, |a, b| keys[*a as usize].cmp(&keys[*b as usize]).then(names[*a as usize].cmp(names[*b as usize])));
        assert_eq!(v, w);
    }

    #[test]
    fn the_radix_sort_orders_pairs_as_the_comparison_sort() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for n in [0usize, 5, 1023, 1024, 5000] {
            // Few distinct keys (ties decided by the value), keys spread over every digit.
            let v: Vec<(u64, u32)> = (0..n).map(|_| (if next() % 3 == 0 { next() % 7 } else { next() }, (next() % 100_000) as u32)).collect();
            let (mut a, mut b) = (v.clone(), v);
            radix_pairs(&mut a);
            sort_pairs(&mut b);
            assert_eq!(a, b, "n = {n}");
        }
    }

    #[test]
    fn stable_and_median() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (1, 'd')];
        sort_by(&mut v, |a, b| a.0.cmp(&b.0));
        assert_eq!(v, vec![(1, 'b'), (1, 'd'), (2, 'a'), (2, 'c')]);
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
        let mut f = vec![2.5, -0.0, f64::NEG_INFINITY, 0.0, -3.0, 1e300];
        sort_f64(&mut f);
        assert_eq!(f, vec![f64::NEG_INFINITY, -3.0, -0.0, 0.0, 2.5, 1e300]);
        assert!(f[2].is_sign_negative() && f[3].is_sign_positive());
        let mut i = vec![5i64, -7, 0, i64::MIN, i64::MAX];
        sort_i64(&mut i);
        assert_eq!(i, vec![i64::MIN, -7, 0, 5, i64::MAX]);
        let mut u = vec![3u32, 1, u32::MAX, 0];
        sort_u32(&mut u);
        assert_eq!(u, vec![0, 1, 3, u32::MAX]);
    }
}
