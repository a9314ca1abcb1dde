//! Generated exports with planted satisfaction drivers (a seeded splitmix64 generator): every
//! answer is the customer's own baseline plus the planted effects of the events in the span
//! since its previous answer, plus noise, rounded and clamped to the survey's scale.

use serde_json::{json, Value};
use tend::time::{format_instant, parse_instant, DAY_MS};

/// splitmix64 with a few variates.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0
    }
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.uniform()
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.uniform() < p
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
    /// Shuffle in place (Fisher–Yates).
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn iso(t: i64) -> String {
    format_instant(t, 0)
}

/// One answer pair as generated: the change of the answer and the events in its span.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pair {
    pub dy: i32,
    pub late: u32,
    pub damaged: u32,
    pub documentation: u32,
}

/// A generated export and what was planted in it.
pub struct Planted {
    pub data: Value,
    pub as_of: String,
    /// Every NPS answer pair with its events, as the generator made them.
    pub pairs: Vec<Pair>,
    /// Answers clamped to the scale (the planted effect is cut there).
    pub clamped: usize,
    pub answers: usize,
}

pub const NPS_LATE: f64 = -2.0;
pub const NPS_DAMAGED: f64 = -3.0;
pub const NPS_DOCUMENTATION: f64 = 0.0;

/// NPS: `customers` customers with baselines 6–8.5, answers every 4–8 weeks over two years;
/// between answers 0–2 deliveries, late with probability .35 (−2 each), damaged with
/// probability .4 when late and .05 when on time (−3 each, so late and damaged go together),
/// and a documentation complaint with probability .2 (0); low-baseline customers get more
/// deliveries (so levels and events are confounded across customers). A span's events are
/// redrawn when they would take more than 6 points (the scale's floor would cut the effect).
/// Late damaged deliveries are also placed before the first and after the last answer (they
/// lie in no span). Noise sd .8.
pub fn nps(customers: usize, seed: u64) -> Planted {
    let mut rng = Rng::new(seed);
    let start = parse_instant("2024-01-01T00:00:00Z", 0).unwrap();
    let as_of_t = parse_instant("2026-01-15T00:00:00Z", 0).unwrap();
    let end = as_of_t - 20 * DAY_MS;
    let (mut cs, mut fb, mut dl, mut cm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut pairs, mut clamped, mut answers) = (Vec::new(), 0, 0);
    for c in 0..customers {
        let id = format!("c{c:05}");
        cs.push(json!({"id": id, "createdAt": iso(start - 30 * DAY_MS)}));
        let base = rng.range(6.0, 8.5);
        let p_two = 0.05 + 0.2 * (8.5 - base) / 2.5;
        let mut t = start + (rng.range(0.0, 60.0) * DAY_MS as f64) as i64 + 9 * 3_600_000;
        let score = |rng: &mut Rng, effect: f64, clamped: &mut usize| {
            let x = (base + effect + 0.8 * rng.normal()).round();
            if !(0.0..=10.0).contains(&x) {
                *clamped += 1;
            }
            x.clamp(0.0, 10.0) as i32
        };
        // Before the first answer: a late, damaged delivery that no answer follows... yet.
        let pre = t - 10 * DAY_MS;
        dl.push(json!({"id": format!("d{c}-pre"), "customerId": id, "promisedAt": iso(pre), "deliveredAt": iso(pre + 2 * DAY_MS), "problem": "damaged"}));
        let mut prev = score(&mut rng, 0.0, &mut clamped);
        answers += 1;
        fb.push(json!({"id": format!("f{c}-0"), "customerId": id, "at": iso(t), "kind": "nps", "score": prev}));
        let mut k = 1;
        loop {
            let len_days = rng.range(28.0, 56.0);
            let next = t + (len_days * DAY_MS as f64) as i64;
            if next > end {
                break;
            }
            // The span's events, redrawn while they would exceed the floor.
            let draw = |rng: &mut Rng| {
                let n = if rng.chance(p_two) { 2 } else if rng.chance(0.55) { 1 } else { 0 };
                let ds: Vec<(bool, bool)> = (0..n)
                    .map(|_| {
                        let late = rng.chance(0.35);
                        let damaged = rng.chance(if late { 0.4 } else { 0.05 });
                        (late, damaged)
                    })
                    .collect();
                let complaint = rng.chance(0.2);
                (ds, complaint)
            };
            let (ds, complaint) = loop {
                let (ds, complaint) = draw(&mut rng);
                let e: f64 = ds.iter().map(|(l, d)| if *l { NPS_LATE } else { 0.0 } + if *d { NPS_DAMAGED } else { 0.0 }).sum();
                if e >= -6.0 {
                    break (ds, complaint);
                }
            };
            let mut pair = Pair::default();
            let mut effect = 0.0;
            for (j, (late, damaged)) in ds.iter().enumerate() {
                let promised = t + (rng.range(2.0, len_days - 10.0) * DAY_MS as f64) as i64;
                let delivered = if *late { promised + (rng.range(1.0, 4.0) * DAY_MS as f64) as i64 } else { promised - (rng.range(0.0, 0.9) * DAY_MS as f64) as i64 };
                let mut row = json!({"id": format!("d{c}-{k}-{j}"), "customerId": id, "promisedAt": iso(promised), "deliveredAt": iso(delivered)});
                if *damaged {
                    row["problem"] = json!("damaged");
                    pair.damaged += 1;
                    effect += NPS_DAMAGED;
                }
                if *late {
                    pair.late += 1;
                    effect += NPS_LATE;
                }
                dl.push(row);
            }
            if complaint {
                let opened = t + (rng.range(1.0, len_days - 5.0) * DAY_MS as f64) as i64;
                cm.push(json!({"id": format!("q{c}-{k}"), "customerId": id, "openedAt": iso(opened), "severity": "low",
                    "category": "documentation", "firstResponseAt": iso(opened + 3_600_000), "resolvedAt": iso(opened + 7_200_000)}));
                pair.documentation += 1;
                effect += NPS_DOCUMENTATION;
            }
            let s = score(&mut rng, effect, &mut clamped);
            answers += 1;
            fb.push(json!({"id": format!("f{c}-{k}"), "customerId": id, "at": iso(next), "kind": "nps", "score": s}));
            pair.dy = s - prev;
            pairs.push(pair);
            prev = s;
            t = next;
            k += 1;
        }
        // After the last answer: another one, which no answer has seen.
        let post = t + 3 * DAY_MS;
        dl.push(json!({"id": format!("d{c}-post"), "customerId": id, "promisedAt": iso(post), "deliveredAt": iso(post + 2 * DAY_MS), "problem": "damaged"}));
    }
    let data = json!({"customers": cs, "feedback": fb, "deliveries": dl, "complaints": cm});
    Planted { data, as_of: iso(as_of_t), pairs, clamped, answers }
}

pub const CSAT_WRONG_ITEM: f64 = -1.0;
pub const CES_WRONG_ITEM: f64 = -1.5;

/// CSAT and CES, answered together every 4–8 weeks: a wrong-item delivery is worth −1 CSAT and
/// −1.5 CES (more effort: CES is the 1–7 "easy to handle" scale); a late delivery 0 on both.
/// Baselines CSAT 3.2–4.2 and CES 4.5–5.5, noise sd .5.
pub fn csat_ces(customers: usize, seed: u64) -> Planted {
    let mut rng = Rng::new(seed);
    let start = parse_instant("2024-06-01T00:00:00Z", 0).unwrap();
    let as_of_t = parse_instant("2026-01-15T00:00:00Z", 0).unwrap();
    let end = as_of_t - 20 * DAY_MS;
    let (mut cs, mut fb, mut dl) = (Vec::new(), Vec::new(), Vec::new());
    let (mut clamped, mut answers) = (0, 0);
    for c in 0..customers {
        let id = format!("k{c:04}");
        cs.push(json!({"id": id}));
        let (bc, be) = (rng.range(3.2, 4.2), rng.range(4.5, 5.5));
        let mut t = start + (rng.range(0.0, 40.0) * DAY_MS as f64) as i64 + 10 * 3_600_000;
        let mut k = 0;
        let mut effect = (0.0, 0.0);
        loop {
            let (lo, hi) = (1.0, 5.0);
            let x = (bc + effect.0 + 0.5 * rng.normal()).round();
            let y = (be + effect.1 + 0.5 * rng.normal()).round();
            clamped += usize::from(!(lo..=hi).contains(&x)) + usize::from(!(1.0..=7.0).contains(&y));
            answers += 2;
            fb.push(json!({"id": format!("s{c}-{k}"), "customerId": id, "at": iso(t), "kind": "csat", "score": x.clamp(lo, hi) as i32}));
            fb.push(json!({"id": format!("e{c}-{k}"), "customerId": id, "at": iso(t), "kind": "ces", "score": y.clamp(1.0, 7.0) as i32}));
            let len_days = rng.range(28.0, 56.0);
            let next = t + (len_days * DAY_MS as f64) as i64;
            if next > end {
                break;
            }
            effect = (0.0, 0.0);
            if rng.chance(0.6) {
                let promised = t + (rng.range(2.0, len_days - 10.0) * DAY_MS as f64) as i64;
                let late = rng.chance(0.3);
                let wrong = rng.chance(0.2);
                let delivered = if late { promised + 2 * DAY_MS } else { promised };
                let mut row = json!({"id": format!("w{c}-{k}"), "customerId": id, "promisedAt": iso(promised), "deliveredAt": iso(delivered)});
                if wrong {
                    row["problem"] = json!("wrong_item");
                    effect = (CSAT_WRONG_ITEM, CES_WRONG_ITEM);
                }
                dl.push(row);
            }
            t = next;
            k += 1;
        }
    }
    let data = json!({"customers": cs, "feedback": fb, "deliveries": dl});
    Planted { data, as_of: iso(as_of_t), pairs: Vec::new(), clamped, answers }
}
