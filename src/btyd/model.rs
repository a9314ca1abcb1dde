//! What every purchase-count model answers, and customer lifetime value on top of it.

use super::error::BtydError;
use crate::num::Num;
use super::params::ModelKind;
use super::observation::{check_horizon, Observation};

/// The most periods [`customer_lifetime_value`] sums over.
pub const MAX_CLV_PERIODS: u32 = 10_000;

/// Names a customer by its triple in error messages, e.g. `(2, 30.43, 38.86)`.
pub(crate) fn describe(o: &Observation) -> String {
    format!("({}, {}, {})", o.x, Num(o.t_x), Num(o.t))
}

/// A fitted purchase-count model: BG/NBD, MBG/NBD or Pareto/NBD.
///
/// All times (`t_x`, `T`, horizons) are in the unit the model was fitted in. Every method
/// checks its arguments and returns an error rather than a NaN.
pub trait CountModel {
    /// Which model this is.
    fn kind(&self) -> ModelKind;

    /// `ln L(params | x, t_x, T)`: the log-likelihood of one customer's history, i.e. the log
    /// of the density of making the `x` repeat purchases at the observed times, the last at
    /// `t_x`, and none after it up to `T`.
    fn log_likelihood(&self, customer: &Observation) -> Result<f64, BtydError>;

    /// `P(alive | x, t_x, T)`: the probability that the customer has not dropped out by `T`.
    fn p_alive(&self, customer: &Observation) -> Result<f64, BtydError>;

    /// The age `T'` (≥ `t_x`) at which `P(alive | x, t_x, T')` falls to `p` (0 < p < 1) if the
    /// customer buys nothing more — below `T` when it is below `p` already; `None` when it never
    /// falls that low (BG/NBD without a repeat purchase, or not within 10⁶ time units). P(alive)
    /// decreases with `T'` in the three models; by default found by bisection on it (the
    /// beta-geometric models have a closed form).
    fn lapse_age(&self, customer: &Observation, p: f64) -> Result<Option<f64>, BtydError> {
        let at = |t: f64| self.p_alive(&Observation { t, ..*customer });
        if at(customer.t_x)? < p {
            return Ok(Some(customer.t_x));
        }
        let (mut lo, mut hi) = (customer.t_x, customer.t.max(customer.t_x) + 1.0);
        while at(hi)? >= p {
            lo = hi;
            hi = customer.t_x + 2.0 * (hi - customer.t_x);
            if hi > 1e6 {
                return Ok(None);
            }
        }
        for _ in 0..80 {
            let mid = 0.5 * (lo + hi);
            if at(mid)? >= p {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(Some(hi))
    }

    /// `E[Y(h) | x, t_x, T]`: the expected number of purchases in `(T, T + h]`.
    fn expected_purchases(&self, customer: &Observation, horizon: f64) -> Result<f64, BtydError>;

    /// `E[Y(h) | x, T, alive at T]`: the expected purchases in `(T, T + h]` of a customer known
    /// to be alive at `T`. In the three models it depends on `x` and `T` only, and
    /// `expected_purchases = p_alive × expected_if_alive`, so customers with the same `(x, T)`
    /// share it whatever their `t_x`.
    fn expected_if_alive(&self, x: u32, t: f64, horizon: f64) -> Result<f64, BtydError>;

    /// `P(Y(h) = 0 | x, t_x, T)`: the probability of no purchase in `(T, T + h]`.
    ///
    /// It is `L(x, t_x, T + h) / L(x, t_x, T)`, because the likelihood of `(x, t_x, T + h)` is
    /// the probability of the same history followed by no purchase up to `T + h`. For BG/NBD
    /// this is `1 − P(alive) + P(alive) ((α+T)/(α+T+h))^(r+x)`.
    fn prob_no_purchase(&self, customer: &Observation, horizon: f64) -> Result<f64, BtydError> {
        check_horizon("horizon", horizon)?;
        let now = self.log_likelihood(customer)?;
        let later = self.log_likelihood(&Observation { t: customer.t + horizon, ..*customer })?;
        Ok(crate::num::clamp((later - now).exp(), 0.0, 1.0))
    }

    /// `E[X(t)]` for a customer just acquired (first purchase at 0, repeat purchases counted).
    fn expected_purchases_new_customer(&self, t: f64) -> Result<f64, BtydError> {
        self.expected_purchases(&Observation::NEW, t)
    }

    /// `P(X(t) = 0)` for a customer just acquired: no repeat purchase in `(0, t]`.
    fn prob_no_purchase_new_customer(&self, t: f64) -> Result<f64, BtydError> {
        self.prob_no_purchase(&Observation::NEW, t)
    }

    /// The log-likelihood summed over customers (as the papers report it).
    fn total_log_likelihood(&self, customers: &[Observation]) -> Result<f64, BtydError> {
        let mut sum = 0.0;
        for (i, c) in customers.iter().enumerate() {
            c.check(|| i.to_string())?;
            sum += self.log_likelihood(c)?;
        }
        Ok(sum)
    }
}

/// Customer lifetime value over `periods` periods of the model's time unit.
///
/// `CLV = v · Σ_{k=1..periods} (E[Y(k) | x, t_x, T] − E[Y(k−1) | x, t_x, T]) / (1 + d)^k`:
/// the expected purchases in each future period, discounted at the end of that period by the
/// per-period rate `d`, times the value of one purchase `v` (typically the Gamma-Gamma
/// conditional expected spend times a margin). With `d = 0` it is `v · E[Y(periods)]`.
/// It is `v · P(alive) · `[`discounted_if_alive`].
pub fn customer_lifetime_value<M: CountModel + ?Sized>(
    model: &M,
    customer: &Observation,
    value_per_purchase: f64,
    periods: u32,
    discount_rate: f64,
) -> Result<f64, BtydError> {
    if !value_per_purchase.is_finite() {
        return Err(BtydError::InvalidArgument {
            name: "value per purchase",
            value: value_per_purchase,
            requirement: "must be finite",
        });
    }
    let sum = discounted_if_alive(model, customer.x, customer.t, periods, discount_rate)?;
    Ok(model.p_alive(customer)? * sum * value_per_purchase)
}

/// `Σ_{k=1..periods} (E[Y(k) | x, T, alive] − E[Y(k−1) | x, T, alive]) / (1 + d)^k`: the
/// discounted purchases of a customer alive at `T`, shared by every customer with the same
/// `(x, T)`.
pub fn discounted_if_alive<M: CountModel + ?Sized>(model: &M, x: u32, t: f64, periods: u32, discount_rate: f64) -> Result<f64, BtydError> {
    if periods > MAX_CLV_PERIODS {
        return Err(BtydError::InvalidArgument {
            name: "number of periods",
            value: f64::from(periods),
            requirement: "must be at most 10000",
        });
    }
    if !(discount_rate.is_finite() && discount_rate > -1.0) {
        return Err(BtydError::InvalidArgument {
            name: "discount rate",
            value: discount_rate,
            requirement: "must be finite and greater than -1",
        });
    }
    let factor = 1.0 / (1.0 + discount_rate);
    let mut discount = 1.0;
    let mut previous = 0.0;
    let mut total = 0.0;
    for k in 1..=periods {
        let cumulative = model.expected_if_alive(x, t, f64::from(k))?;
        discount *= factor;
        total += (cumulative - previous) * discount;
        previous = cumulative;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::btyd::params::BgNbd;

    #[test]
    fn lifetime_value_discounts_each_period() {
        let bg = BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
        let c = Observation::new(2, 30.43, 38.86);
        assert_eq!(customer_lifetime_value(&bg, &c, 10.0, 0, 0.1), Ok(0.0));
        let e1 = bg.expected_purchases(&c, 1.0).unwrap_or(f64::NAN);
        let e2 = bg.expected_purchases(&c, 2.0).unwrap_or(f64::NAN);
        let by_hand = 10.0 * (e1 / 1.1 + (e2 - e1) / 1.21);
        let clv = customer_lifetime_value(&bg, &c, 10.0, 2, 0.1).unwrap_or(f64::NAN);
        assert!((clv - by_hand).abs() < 1e-12, "{clv} vs {by_hand}");
        assert!(customer_lifetime_value(&bg, &c, f64::NAN, 2, 0.1).is_err());
        assert!(customer_lifetime_value(&bg, &c, 1.0, MAX_CLV_PERIODS + 1, 0.1).is_err());
        assert!(customer_lifetime_value(&bg, &Observation::new(1, 3.0, 2.0), 1.0, 2, 0.1).is_err());
    }

    #[test]
    fn expected_purchases_are_p_alive_times_expected_if_alive_in_every_model() {
        use crate::btyd::params::{MbgNbd, ParetoNbd};
        let models: [&dyn CountModel; 3] = [
            &BgNbd { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
            &MbgNbd { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 },
            &ParetoNbd { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 },
        ];
        for m in models {
            for (x, t_x, t) in [(0, 0.0, 30.0), (1, 2.0, 30.0), (1, 29.0, 30.0), (7, 12.5, 38.9)] {
                let o = Observation::new(x, t_x, t);
                for h in [1.0, 13.0, 52.0] {
                    let whole = m.expected_purchases(&o, h).unwrap_or(f64::NAN);
                    let parts = m.p_alive(&o).unwrap_or(f64::NAN) * m.expected_if_alive(x, t, h).unwrap_or(f64::NAN);
                    assert!((whole - parts).abs() <= 1e-12 * whole.max(1.0), "{:?} {o:?} {h}: {whole} vs {parts}", m.kind());
                }
                // The CLV equals the sum of its discounted increments.
                let clv = customer_lifetime_value(m, &o, 3.0, 52, 0.002).unwrap_or(f64::NAN);
                let mut by_hand = 0.0;
                for k in 1..=52 {
                    let d = 1.002f64.powi(-k);
                    by_hand += d * (m.expected_purchases(&o, f64::from(k)).unwrap_or(f64::NAN) - m.expected_purchases(&o, f64::from(k - 1)).unwrap_or(f64::NAN));
                }
                assert!((clv - 3.0 * by_hand).abs() < 1e-9, "{:?} {o:?}: {clv} vs {}", m.kind(), 3.0 * by_hand);
            }
            assert!(m.expected_if_alive(1, f64::NAN, 1.0).is_err());
            assert!(m.expected_if_alive(1, 3.0, -1.0).is_err());
        }
    }
}
