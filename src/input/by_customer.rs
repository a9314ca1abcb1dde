//! The incremental index: each customer's rows of each table, in time order.
//!
//! A customer's rows are kept sorted by the table's key time (ties by id), so the rows known at
//! any instant are a prefix found by binary search: one index serves every point-in-time view.
//! Lists live in one buffer per table; a list that outgrows its room moves to the end with twice
//! the room, and the buffer is compacted when more than half of it is abandoned. Inserting or
//! removing a row costs the length of that customer's list, never a pass over all rows.

use super::records::*;
use crate::time::Instant;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Span {
    start: u32,
    len: u32,
    cap: u32,
}

/// Row slots of one table, grouped by customer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lists {
    spans: Vec<Span>,
    rows: Vec<Slot>,
    abandoned: usize,
}

impl Lists {
    /// Lists for `customers` customers from rows already grouped: `order` holds every live row
    /// sorted by (customer, key), `counts[c]` how many belong to customer `c`.
    fn from_sorted(counts: &[u32], order: Vec<Slot>) -> Self {
        let mut spans = Vec::with_capacity(counts.len());
        let mut start = 0u32;
        for &n in counts {
            spans.push(Span { start, len: n, cap: n });
            start += n;
        }
        Lists { spans, rows: order, abandoned: 0 }
    }

    /// The rows of customer `c`, oldest first.
    pub fn of(&self, c: usize) -> &[Slot] {
        match self.spans.get(c) {
            Some(s) => self.rows.get(s.start as usize..(s.start + s.len) as usize).unwrap_or(&[]),
            None => &[],
        }
    }

    /// Make room for customers up to `n`.
    pub fn grow(&mut self, n: usize) {
        if self.spans.len() < n {
            self.spans.resize(n, Span::default());
        }
    }

    /// Insert `slot` at position `pos` of customer `c`'s list.
    pub fn insert(&mut self, c: usize, pos: usize, slot: Slot) {
        self.grow(c + 1);
        let s = self.spans[c];
        if s.len == s.cap {
            let cap = (s.cap * 2).max(4);
            let start = self.rows.len() as u32;
            let old: Vec<Slot> = self.of(c).to_vec();
            self.rows.extend_from_slice(&old);
            self.rows.resize(self.rows.len() + (cap - s.len) as usize, 0);
            self.abandoned += s.cap as usize;
            self.spans[c] = Span { start, len: s.len, cap };
        }
        let s = self.spans[c];
        let base = s.start as usize;
        let pos = pos.min(s.len as usize);
        self.rows.copy_within(base + pos..base + s.len as usize, base + pos + 1);
        self.rows[base + pos] = slot;
        self.spans[c].len += 1;
    }

    /// Remove `slot` from customer `c`'s list; returns whether it was there.
    pub fn remove(&mut self, c: usize, slot: Slot) -> bool {
        let Some(pos) = self.of(c).iter().position(|x| *x == slot) else { return false };
        let s = self.spans[c];
        let base = s.start as usize;
        self.rows.copy_within(base + pos + 1..base + s.len as usize, base + pos);
        self.spans[c].len -= 1;
        self.maybe_compact();
        true
    }

    /// Empty customer `c`'s list; returns its rows.
    pub fn take(&mut self, c: usize) -> Vec<Slot> {
        let rows = self.of(c).to_vec();
        if let Some(s) = self.spans.get_mut(c) {
            s.len = 0;
        }
        rows
    }

    fn maybe_compact(&mut self) {
        if self.abandoned < 4096 || self.abandoned * 2 < self.rows.len() {
            return;
        }
        let mut rows = Vec::with_capacity(self.rows.len() - self.abandoned);
        for s in &mut self.spans {
            let start = rows.len() as u32;
            rows.extend_from_slice(&self.rows[s.start as usize..(s.start + s.len) as usize]);
            rows.resize(rows.len() + (s.cap - s.len) as usize, 0);
            s.start = start;
        }
        self.rows = rows;
        self.abandoned = 0;
    }

    /// Every row of every customer.
    pub fn total(&self) -> usize {
        self.spans.iter().map(|s| s.len as usize).sum()
    }
}

/// Group the live rows of a table by customer and sort each customer's rows by key time, ties
/// by `tie` (the id; for snoozes the reason, then the kinds, then the slot).
pub fn build<R: Record>(d: &Dataset, customers: usize) -> Lists {
    let (counts, order) = grouped::<R>(d, customers);
    Lists::from_sorted(&counts, order)
}

/// Put a table's live rows in customer order (each customer's rows together, oldest first) and
/// index them: scoring a customer then reads consecutive rows. Returns the lists and, per old
/// slot, its new slot ([`DEAD`] for rows that were removed).
pub fn arrange<R: Record>(d: &mut Dataset, customers: usize) -> (Lists, Vec<Slot>) {
    let (counts, order) = grouped::<R>(d, customers);
    let rows = R::rows(d);
    let mut remap = vec![DEAD; rows.len()];
    for (new, old) in order.iter().enumerate() {
        remap[*old as usize] = new as Slot;
    }
    // Rows are read in order and written to their places (scattered writes cost less than
    // scattered reads).
    if let Some(first) = rows.first() {
        let mut arranged: Vec<R> = vec![*first; order.len()];
        for (old, r) in rows.iter().enumerate() {
            if let Some(slot) = arranged.get_mut(remap[old] as usize) {
                *slot = *r;
            }
        }
        *R::rows_mut(d) = arranged;
    }
    let identity: Vec<Slot> = (0..order.len() as Slot).collect();
    (Lists::from_sorted(&counts, identity), remap)
}

fn grouped<R: Record>(d: &Dataset, customers: usize) -> (Vec<u32>, Vec<Slot>) {
    let rows = R::rows(d);
    group_rows(
        rows.len(),
        customers,
        &|i| rows[i].customer(),
        &|i| rows[i].key_time(),
        &|a, b| rows[a as usize].tie(&rows[b as usize], d),
    )
}

// One copy of the grouping for every table (the row type only enters through the closures).
fn group_rows(
    n: usize,
    customers: usize,
    customer: &dyn Fn(usize) -> Slot,
    time: &dyn Fn(usize) -> Instant,
    tie: &dyn Fn(Slot, Slot) -> std::cmp::Ordering,
) -> (Vec<u32>, Vec<Slot>) {
    let mut counts = vec![0u32; customers];
    for i in 0..n {
        if let Some(k) = counts.get_mut(customer(i) as usize) {
            *k += 1;
        }
    }
    let mut fill: Vec<u32> = Vec::with_capacity(customers);
    let mut acc = 0u32;
    for k in &counts {
        fill.push(acc);
        acc += k;
    }
    let mut order = vec![0 as Slot; acc as usize];
    for i in 0..n {
        if let Some(f) = fill.get_mut(customer(i) as usize) {
            order[*f as usize] = i as Slot;
            *f += 1;
        }
    }
    let mut start = 0usize;
    let mut keyed: Vec<(u64, u32)> = Vec::new();
    for &k in &counts {
        let part = &mut order[start..start + k as usize];
        if part.len() > 1 {
            // By time (then slot), then runs of equal times by their tie text.
            keyed.clear();
            keyed.extend(part.iter().map(|s| (crate::sort::key_i64(time(*s as usize)), *s)));
            // Exports usually come in time order: then the rows are sorted already.
            if !keyed.is_sorted() {
                crate::sort::sort_pairs(&mut keyed);
            }
            let mut j = 0;
            while j < keyed.len() {
                let end = j + keyed[j..].iter().take_while(|p| p.0 == keyed[j].0).count();
                if end - j > 1 {
                    let mut run: Vec<(u64, u32)> = keyed[j..end].to_vec();
                    crate::sort::sort_by(&mut run, |a, b| tie(a.1, b.1).then(a.1.cmp(&b.1)));
                    keyed[j..end].copy_from_slice(&run);
                }
                j = end;
            }
            for (p, (_, s)) in part.iter_mut().zip(keyed.iter()) {
                *p = *s;
            }
        }
        start += k as usize;
    }
    (counts, order)
}

/// Where the row in `slot` goes in a sorted list (after the rows that sort before it).
pub fn position<R: Record>(list: &[Slot], d: &Dataset, slot: Slot) -> usize {
    let rows = R::rows(d);
    let r = &rows[slot as usize];
    list.partition_point(|s| {
        let x = &rows[*s as usize];
        x.key_time().cmp(&r.key_time()).then_with(|| x.tie(r, d)).then(s.cmp(&slot)).is_lt()
    })
}

/// How many of a sorted list's rows are known at `t` (key time at or before it).
pub fn known<R: Record>(list: &[Slot], rows: &[R], t: Instant) -> usize {
    list.partition_point(|s| rows[*s as usize].key_time() <= t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_remove_keep_order_and_room() {
        let mut l = Lists::from_sorted(&[2, 0], vec![5, 7]);
        l.insert(0, 1, 6);
        assert_eq!(l.of(0), &[5, 6, 7]);
        l.insert(1, 0, 9);
        l.insert(1, 1, 10);
        assert_eq!(l.of(1), &[9, 10]);
        assert!(l.remove(0, 5));
        assert!(!l.remove(0, 5));
        assert_eq!(l.of(0), &[6, 7]);
        assert_eq!(l.take(1), vec![9, 10]);
        assert_eq!(l.of(1), &[] as &[Slot]);
        for k in 0..10_000 {
            l.insert(2, k, k as Slot);
        }
        assert_eq!(l.of(2).len(), 10_000);
        for k in 0..9_990 {
            assert!(l.remove(2, k as Slot));
        }
        assert_eq!(l.of(2), &(9_990..10_000).collect::<Vec<Slot>>()[..]);
        assert_eq!(l.of(0), &[6, 7]);
    }
}
