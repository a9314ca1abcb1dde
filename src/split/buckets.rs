//! Which bucket each customer is scored in: by a hash of its id, except that customers linked
//! by referrals (`referredBy`, either way) share one bucket — word of mouth is read across
//! those links — keyed by the smallest id of their referral tree. Putting more customers
//! together never changes a score; only splitting linked ones would.

use crate::hash::IdMap;

/// The bucket (0..`n`) of a customer id: FNV-1a of its UTF-8 bytes, modulo `n` — the same
/// on every platform and in every process.
pub fn of_id(id: &str, n: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(n.max(1))) as u32
}

/// The customers whose bucket is not [`of_id`] of their own id: `(id, key)` where `key` is
/// the id whose bucket they take (the smallest id of their referral tree), for every customer
/// that is linked at all. `customers`: `(id, referredBy)` of the customers table's rows (as
/// given: an invalid row only joins more customers together, which is harmless).
pub fn linked<'a>(customers: &[(&'a str, Option<&'a str>)]) -> Vec<(String, String)> {
    let mut index: IdMap<&'a str, usize> = IdMap::default();
    let mut names: Vec<&'a str> = Vec::new();
    let mut key = |s: &'a str| -> usize {
        *index.entry(s).or_insert_with(|| {
            names.push(s);
            names.len() - 1
        })
    };
    let mut edges: Vec<(usize, usize)> = Vec::new();
    for (id, r) in customers {
        if let Some(r) = r.filter(|r| !r.is_empty() && r != id) {
            let (a, b) = (key(id), key(r));
            edges.push((a, b));
        }
    }
    drop(key);
    // Union-find with path halving; the root of a tree is its smallest id.
    let mut parent: Vec<usize> = (0..names.len()).collect();
    fn find(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for (a, b) in edges {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            let (lo, hi) = if names[ra] <= names[rb] { (ra, rb) } else { (rb, ra) };
            parent[hi] = lo;
        }
    }
    (0..names.len()).map(|x| (names[x].to_owned(), names[find(&mut parent, x)].to_owned())).collect()
}

/// Every customer's bucket: `customers` as in [`linked`]; returns the bucket of each row.
pub fn assign(customers: &[(&str, Option<&str>)], n: u32) -> Vec<u32> {
    let keys: IdMap<String, String> = linked(customers).into_iter().collect();
    customers.iter().map(|(id, _)| of_id(keys.get(*id).map_or(id, |k| k.as_str()), n)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn referral_trees_share_a_bucket_and_others_hash() {
        let rows = [("c5", Some("c2")), ("c2", None), ("c9", Some("c5")), ("c1", None), ("c7", Some("c8")), ("c3", Some("c3"))];
        let keys: IdMap<String, String> = linked(&rows).into_iter().collect();
        assert_eq!(keys.get("c9").map(String::as_str), Some("c2"));
        assert_eq!(keys.get("c5").map(String::as_str), Some("c2"));
        // A referrer not among the customers still ties its referrals together.
        assert_eq!(keys.get("c7").map(String::as_str), Some("c7"));
        assert_eq!(keys.get("c8").map(String::as_str), Some("c7"));
        // Unlinked (and self-referring) customers are not listed.
        assert!(keys.get("c1").is_none() && keys.get("c3").is_none());
        for n in [1, 4, 16] {
            let b = assign(&rows, n);
            assert_eq!(b[0], b[1]);
            assert_eq!(b[0], b[2]);
            assert_eq!(b[3], of_id("c1", n));
            assert!(b.iter().all(|x| *x < n));
        }
        // Spread: 10,000 ids over 16 buckets, none far from 625.
        let mut count = [0usize; 16];
        for k in 0..10_000 {
            count[of_id(&format!("C{k:06}"), 16) as usize] += 1;
        }
        assert!(count.iter().all(|c| (500..750).contains(c)), "{count:?}");
    }
}
