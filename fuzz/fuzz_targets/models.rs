//! Fuzz the buying-model API (`fitBuyingModel` / `scoreBuying`): the bytes split at the first
//! 0xFF into the fit's input and its options (JSON). Nothing may panic; a fit scores its own
//! summaries with finite numbers or NaN only where a value is absent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tend::models::{FitInput, FitRequest, ScoreOptions};

fuzz_target!(|bytes: &[u8]| {
    let (a, b) = match bytes.iter().position(|x| *x == 0xff) {
        Some(i) => (&bytes[..i], &bytes[i + 1..]),
        None => (bytes, &b"{}"[..]),
    };
    let Ok(input) = serde_json::from_slice::<FitInput>(a) else { return };
    let Ok(req) = serde_json::from_slice::<FitRequest>(b) else { return };
    let Ok(fit) = tend::models::fit_buying_model(&input, &req) else { return };
    assert_eq!(tend::finite::non_finite(&fit), None, "a fit has finite numbers");
    if let Some(sums) = input.summaries.as_ref() {
        let f: Vec<f64> = sums.iter().map(|s| s.frequency).collect();
        let r: Vec<f64> = sums.iter().map(|s| s.recency).collect();
        let t: Vec<f64> = sums.iter().map(|s| s.t).collect();
        let m: Vec<f64> = sums.iter().map(|s| s.monetary_value.unwrap_or(f64::NAN)).collect();
        if let Ok(s) = tend::models::summaries_from_columns(&f, &r, &t, &m) {
            if let Ok(scores) = tend::models::score_summaries(&fit, &s, &ScoreOptions::default()) {
                for row in scores {
                    assert!(row[..3].iter().all(|x| x.is_finite()), "{row:?}");
                }
            }
        }
    }
});
