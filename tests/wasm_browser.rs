//! wasm-bindgen-test suite run in headless Chromium (`make test`: CHROMEDRIVER=/usr/bin/chromedriver,
//! flags in `webdriver.json`). The shared checks are in `wasm_common/`.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn runs_in_a_browser() {
    let global = js_sys::global();
    let window = js_sys::Reflect::get(&global, &"window".into()).unwrap();
    let document = js_sys::Reflect::get(&global, &"document".into()).unwrap();
    assert!(window.is_object() && document.is_object(), "this suite is meant for a browser page");
}
