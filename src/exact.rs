//! Sums that do not depend on the order of their terms: every term is kept exactly (as a few
//! non-overlapping partial sums, Shewchuk's method, as Python's `math.fsum`), and the total is
//! the exact sum rounded once. So a portfolio scored in parts, whose totals are added part by
//! part, gives the same figures as scored whole, to the last bit.

/// An exact running sum of finite `f64` terms (two are equal when their exact sums are).
#[derive(Debug, Clone, Default)]
pub struct ExactSum {
    /// Non-overlapping partial sums, increasing in magnitude.
    partials: Vec<f64>,
    /// Non-finite terms are not summed exactly: their plain sum (NaN or ±∞) wins.
    special: Option<f64>,
}

impl ExactSum {
    /// An empty sum (0).
    pub fn new() -> Self {
        ExactSum::default()
    }

    /// Add a term.
    pub fn add(&mut self, mut x: f64) {
        if !x.is_finite() {
            self.special = Some(self.special.map_or(x, |s| s + x));
            return;
        }
        let mut i = 0;
        for k in 0..self.partials.len() {
            let mut y = self.partials[k];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let lo = y - (hi - x);
            if lo != 0.0 {
                self.partials[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.partials.truncate(i);
        if !(x.is_finite()) {
            // The exact sum overflows.
            self.special = Some(self.special.map_or(x, |s| s + x));
            return;
        }
        self.partials.push(x);
    }

    /// Add another sum's terms.
    pub fn merge(&mut self, other: &ExactSum) {
        for p in &other.partials {
            self.add(*p);
        }
        if let Some(s) = other.special {
            self.special = Some(self.special.map_or(s, |t| t + s));
        }
    }

    /// The partial sums (to carry a sum between processes; [`ExactSum::from_partials`]).
    pub fn partials(&self) -> Vec<f64> {
        let mut v = self.partials.clone();
        v.extend(self.special);
        v
    }

    /// A sum from carried partial sums.
    pub fn from_partials(ps: &[f64]) -> Self {
        let mut s = ExactSum::new();
        for p in ps {
            s.add(*p);
        }
        s
    }

    /// The exact sum, rounded once to the nearest `f64` (ties to even).
    pub fn value(&self) -> f64 {
        if let Some(s) = self.special {
            return s;
        }
        let p = &self.partials;
        let Some(mut n) = p.len().checked_sub(1) else { return 0.0 };
        let mut hi = p[n];
        let mut lo = 0.0;
        while n > 0 {
            n -= 1;
            let x = hi;
            let y = p[n];
            hi = x + y;
            let yr = hi - x;
            lo = y - yr;
            if lo != 0.0 {
                break;
            }
        }
        // Round half to even across the partials left out (as `math.fsum`).
        if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
            let y = lo * 2.0;
            let x = hi + y;
            if y == x - hi {
                hi = x;
            }
        }
        hi
    }
}

impl PartialEq for ExactSum {
    fn eq(&self, other: &ExactSum) -> bool {
        if self.special.is_some() || other.special.is_some() {
            return self.value().to_bits() == other.value().to_bits();
        }
        let mut d = self.clone();
        for p in &other.partials {
            d.add(-p);
        }
        d.partials.iter().all(|p| *p == 0.0)
    }
}

impl FromIterator<f64> for ExactSum {
    fn from_iter<I: IntoIterator<Item = f64>>(it: I) -> Self {
        let mut s = ExactSum::new();
        for x in it {
            s.add(x);
        }
        s
    }
}

/// Carried as the bits of its partial sums (exact through any JSON reader).
impl serde::Serialize for ExactSum {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.partials().iter().map(|p| p.to_bits()))
    }
}

impl<'de> serde::Deserialize<'de> for ExactSum {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let bits: Vec<u64> = serde::Deserialize::deserialize(d)?;
        Ok(ExactSum::from_partials(&bits.into_iter().map(f64::from_bits).collect::<Vec<_>>()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sum_is_exact_and_the_same_in_any_order() {
        // 0.1 + 0.2 + 0.3 in floating point is 0.6000000000000001; exactly summed and rounded
        // once, it is 0.6.
        assert_eq!([0.1, 0.2, 0.3].iter().sum::<f64>(), 0.6000000000000001);
        assert_eq!([0.1, 0.2, 0.3].into_iter().collect::<ExactSum>().value(), 0.6);
        // Cancellation a plain sum loses entirely.
        assert_eq!([1e100, 1.0, -1e100].into_iter().collect::<ExactSum>().value(), 1.0);
        assert_eq!(ExactSum::new().value(), 0.0);
        let xs: Vec<f64> = (0..500).map(|k| ((k * 7919) % 1000) as f64 / 7.0 - 60.0).collect();
        let whole: ExactSum = xs.iter().copied().collect();
        let mut rev: Vec<f64> = xs.clone();
        rev.reverse();
        assert_eq!(rev.into_iter().collect::<ExactSum>().value(), whole.value());
        // In parts, carried as partials, merged.
        let mut merged = ExactSum::new();
        for part in xs.chunks(37) {
            let s: ExactSum = part.iter().copied().collect();
            merged.merge(&ExactSum::from_partials(&s.partials()));
        }
        assert_eq!(merged.value(), whole.value());
        assert_eq!([f64::INFINITY, 1.0].into_iter().collect::<ExactSum>().value(), f64::INFINITY);
    }
}

