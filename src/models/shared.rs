//! What customers with the same `(x, T)` share: the expected purchases of a customer alive at
//! `T` in the next 90 days and its discounted sum over the CLV's 52 weeks. They cost a
//! hypergeometric series per week, and `(x, T)` repeats (T counts whole days since the first
//! purchase), so a portfolio computes each pair once: a direct-mapped cache of 16,384 entries
//! keyed by `(x, T)`, owned by the fitted model. A hit returns exactly what a miss computes, so
//! the answers do not depend on the order customers are scored in.

use crate::btyd::{self, CountModel};
use std::cell::RefCell;

const SLOTS: usize = 1 << 14;

/// `(expected purchases in the horizon, discounted purchases over the CLV)` for a customer alive
/// at `T`; `None` where the series failed.
pub type Shared = (Option<f64>, Option<f64>);

#[derive(Debug, Clone, Copy)]
struct Slot {
    x: u32,
    t: u64,
    value: Shared,
}

const EMPTY: Slot = Slot { x: u32::MAX, t: u64::MAX, value: (None, None) };

/// The cache (empty until first used).
#[derive(Debug, Clone, Default)]
pub struct SharedCache(RefCell<Vec<Slot>>);

impl SharedCache {
    /// The shared figures of `(x, t)` under `m`, over `horizon` and `periods` at `discount`
    /// (the same for every call on one cache).
    pub fn get(&self, m: &dyn CountModel, x: u32, t: f64, horizon: f64, periods: u32, discount: f64) -> Shared {
        let bits = t.to_bits();
        let h = (bits ^ u64::from(x).wrapping_mul(0x9e37_79b9_7f4a_7c15)).wrapping_mul(0xff51_afd7_ed55_8ccd);
        let i = (h >> (64 - 14)) as usize;
        let mut slots = self.0.borrow_mut();
        if slots.is_empty() {
            slots.resize(SLOTS, EMPTY);
        }
        let s = slots[i];
        if s.x == x && s.t == bits {
            return s.value;
        }
        let value = (m.expected_if_alive(x, t, horizon).ok(), btyd::discounted_if_alive(m, x, t, periods, discount).ok());
        slots[i] = Slot { x, t: bits, value };
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::btyd::BgNbd;

    #[test]
    fn a_hit_is_what_a_miss_computes_and_keys_do_not_alias() {
        let m = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let cache = SharedCache::default();
        let fresh = |x, t| (m.expected_if_alive(x, t, 13.0).ok(), btyd::discounted_if_alive(&m, x, t, 52, 0.002).ok());
        // Far more pairs than slots: every answer, first or repeated, is the fresh one.
        for round in 0..2 {
            for i in 0..40_000u32 {
                let (x, t) = (i % 37, 1.0 + f64::from(i / 37) / 7.0);
                assert_eq!(cache.get(&m, x, t, 13.0, 52, 0.002), fresh(x, t), "round {round}, ({x}, {t})");
            }
        }
        assert_eq!(cache.get(&m, 1, f64::INFINITY, 13.0, 52, 0.002), (None, None));
    }
}
