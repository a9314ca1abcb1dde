//! wasm-bindgen-test suite run in Node (`make test`: CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER
//! = wasm-bindgen-test-runner). The shared checks are in `wasm_common/`.
#![cfg(target_arch = "wasm32")]

mod wasm_common;

use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn runs_in_node() {
    let global = js_sys::global();
    let process = js_sys::Reflect::get(&global, &"process".into()).unwrap();
    assert!(process.is_object(), "this suite is meant for Node");
}
