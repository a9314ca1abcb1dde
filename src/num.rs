//! Numbers in messages: `Num(x)` prints an `f64` as `format!("{x}")` does (the shortest digits
//! that read back as `x`, in plain decimal, `3` for `3.0`; of two equally short and close digit
//! strings it may pick the other), through the same shortest-digits
//! writer serde_json uses, so the wasm module carries one float formatter instead of two (core's
//! Grisu/Dragon code for `Display` is about 20 KB). Messages and facts write numbers with `Num`, and
//! `Sci(x)` prints as `{:e}` does.

use std::fmt;

/// An `f64` shown as `Display` shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

/// An `f64` shown as `LowerExp` (`{:e}`) shows it: `1.2e-5`, `1e300`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sci(pub f64);

/// `v` finite as `(negative, significant digits without leading or trailing zeros, point)`:
/// `v = ±0.digits × 10^point`; no digits for zero.
fn decompose(v: f64) -> (bool, String, i32) {
    let mut buf = zmij::Buffer::new();
    let s = buf.format_finite(v);
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (mantissa, exp) = match s.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all: String = int.chars().chain(frac.chars()).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    let digits = all.trim_matches('0').to_string();
    (neg, digits, int.len() as i32 - lead as i32 + exp)
}

fn special(v: f64, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
    if v.is_nan() {
        Some(f.write_str("NaN"))
    } else if v.is_infinite() {
        Some(f.write_str(if v > 0.0 { "inf" } else { "-inf" }))
    } else {
        None
    }
}

fn zeros(f: &mut fmt::Formatter<'_>, n: i32) -> fmt::Result {
    for _ in 0..n {
        f.write_str("0")?;
    }
    Ok(())
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = special(self.0, f) {
            return r;
        }
        let (neg, digits, point) = decompose(self.0);
        if neg {
            f.write_str("-")?;
        }
        let len = digits.len() as i32;
        if digits.is_empty() {
            f.write_str("0")
        } else if point <= 0 {
            f.write_str("0.")?;
            zeros(f, -point)?;
            f.write_str(&digits)
        } else if point >= len {
            f.write_str(&digits)?;
            zeros(f, point - len)
        } else {
            let (a, b) = digits.split_at(point as usize);
            f.write_str(a)?;
            f.write_str(".")?;
            f.write_str(b)
        }
    }
}

impl fmt::Display for Sci {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = special(self.0, f) {
            return r;
        }
        let (neg, digits, point) = decompose(self.0);
        if neg {
            f.write_str("-")?;
        }
        if digits.is_empty() {
            return f.write_str("0e0");
        }
        let (a, b) = digits.split_at(1);
        f.write_str(a)?;
        if !b.is_empty() {
            f.write_str(".")?;
            f.write_str(b)?;
        }
        write!(f, "e{}", point - 1)
    }
}

/// `v` limited to `[lo, hi]`, NaN kept, as `f64::clamp` without its assertion (whose message
/// would bring core's float formatter back).
#[inline]
pub fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    if v.is_nan() {
        v
    } else {
        v.max(lo).min(hi)
    }
}

#[cfg(test)]
mod tests {
    use super::{Num, Sci};
    use proptest::prelude::*;

    #[test]
    fn clamp_limits_and_keeps_nan() {
        assert_eq!(super::clamp(-1.0, 0.0, 1.0), 0.0);
        assert_eq!(super::clamp(2.0, 0.0, 1.0), 1.0);
        assert_eq!(super::clamp(0.25, 0.0, 1.0), 0.25);
        assert!(super::clamp(f64::NAN, 0.0, 1.0).is_nan());
    }

    #[test]
    fn prints_as_display_does() {
        for v in [
            0.0, -0.0, 1.0, 3.0, -3.0, 0.5, 0.1, 0.3, 1.5, 12.25, 100.0, 1e15, 1e16, 1.5e16, 123456789012345680.0, 1e21, 1e22, 1e300,
            1e-5, 1e-6, 1.2e-7, 5e-324, f64::MAX, f64::MIN_POSITIVE, -2.5e-10, 0.000123, 42.42, 99.99, 1234.5678,
            f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
        ] {
            assert_eq!(Num(v).to_string(), format!("{v}"), "{v:e}");
            assert_eq!(Sci(v).to_string(), format!("{v:e}"), "{v}");
        }
    }

    proptest! {
        #[test]
        fn any_bits_read_back_as_short_as_display(bits in any::<u64>()) {
            // The shortest digits that read back; where two are equally short and equally close
            // (1225582900746710.25 → …0.2 or …0.3) the two writers may pick different ones.
            let v = f64::from_bits(bits);
            let (ours, std) = (Num(v).to_string(), format!("{v}"));
            prop_assert_eq!(ours.len(), std.len());
            if v.is_nan() {
                prop_assert_eq!(ours, "NaN");
            } else {
                prop_assert_eq!(ours.parse::<f64>().ok(), Some(v));
                let sci = Sci(v).to_string();
                prop_assert_eq!(sci.len(), format!("{v:e}").len());
                prop_assert_eq!(sci.parse::<f64>().ok(), Some(v));
            }
        }

        #[test]
        fn money_and_scores_print_as_display_does(cents in -1_000_000_000i64..1_000_000_000, d in 0u32..4) {
            let v = cents as f64 / 10f64.powi(d as i32);
            prop_assert_eq!(Num(v).to_string(), format!("{v}"));
        }
    }
}
