//! A small seeded pseudo-random generator for the simulators: xoshiro256** (Blackman &
//! Vigna) seeded through splitmix64, with exponential, normal, gamma (Marsaglia & Tsang 2000)
//! and beta variates. Not for cryptography.

/// xoshiro256** state.
#[derive(Debug, Clone)]
pub(crate) struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// A generator whose whole stream is determined by `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        let mut state = seed;
        let s = [splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state), splitmix64(&mut state)];
        Rng { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s1 << 17;
        let mut n = [s0, s1, s2 ^ s0, s3 ^ s1];
        n[1] ^= n[2];
        n[0] ^= n[3];
        n[2] ^= t;
        n[3] = n[3].rotate_left(45);
        self.s = n;
        result
    }

    /// Uniform on the open interval (0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard exponential.
    pub(crate) fn exponential(&mut self) -> f64 {
        -self.uniform().ln()
    }

    /// Standard normal (Box–Muller).
    pub(crate) fn normal(&mut self) -> f64 {
        let u = self.uniform();
        let v = self.uniform();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// The logarithm of a `Gamma(shape, 1)` variate; working in logs keeps tiny shapes (whose
    /// variates underflow) usable for beta variates.
    pub(crate) fn ln_gamma_variate(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            // G(k) = G(k+1) U^(1/k).
            return self.ln_gamma_variate(shape + 1.0) + self.uniform().ln() / shape;
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        for _ in 0..10_000 {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d.ln() + v.ln();
            }
        }
        d.ln()
    }

    /// `Gamma(shape, rate)`.
    pub(crate) fn gamma(&mut self, shape: f64, rate: f64) -> f64 {
        self.ln_gamma_variate(shape).exp() / rate
    }

    /// `Beta(a, b)` as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`, computed in logs.
    pub(crate) fn beta(&mut self, a: f64, b: f64) -> f64 {
        let lx = self.ln_gamma_variate(a);
        let ly = self.ln_gamma_variate(b);
        super::special::sigmoid(lx - ly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(mut draw: impl FnMut() -> f64, n: usize) -> (f64, f64) {
        let xs: Vec<f64> = (0..n).map(|_| draw()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
        (mean, var)
    }

    #[test]
    fn reproducible_and_in_range() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let u = a.uniform();
            assert!(u > 0.0 && u < 1.0);
            b.uniform();
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
    }

    #[test]
    fn variates_have_the_right_moments() {
        let mut rng = Rng::new(7);
        let n = 200_000;
        for &(shape, rate) in &[(0.25, 4.0), (1.0, 1.0), (6.25, 0.5)] {
            let (m, v) = moments(|| rng.gamma(shape, rate), n);
            let (em, ev) = (shape / rate, shape / (rate * rate));
            assert!((m - em).abs() < 5.0 * (ev / n as f64).sqrt(), "gamma({shape},{rate}) mean {m} vs {em}");
            assert!((v / ev - 1.0).abs() < 0.05, "gamma({shape},{rate}) var {v} vs {ev}");
        }
        let (a, b) = (0.793, 2.426);
        let (m, v) = moments(|| rng.beta(a, b), n);
        let em = a / (a + b);
        let ev = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!((m - em).abs() < 5.0 * (ev / n as f64).sqrt());
        assert!((v / ev - 1.0).abs() < 0.03);
    }
}
