//! The C math functions the core calls, from the `libm` crate: the same code the WebAssembly
//! build runs (on `wasm32-unknown-unknown`, Rust's `f64::ln`, `exp`, … are compiler-builtins'
//! copy of `libm`), so that a native analysis gives the browser's numbers bit for bit.
//!
//! Natively `f64::ln` calls the platform's `log` (glibc here), which differs from `libm` in
//! the last bit for some arguments; through the BG/NBD and Gamma-Gamma fits that moves the
//! fitted parameters by ~1e-12 and, now and then, a rounded CLV or priority by 0.01 or a lapse
//! date by 1 ms (`tests/test_parity.py` finds them without this module). The extension module
//! is linked with `-Bsymbolic` (`build.rs`), so the core's calls bind to these definitions;
//! the module is loaded `RTLD_LOCAL`, so no other library sees them.
//!
//! The functions are the ones the core uses: `ln`, `exp`, `ln_1p`, `exp_m1`, `powf`, `cos`
//! (`sqrt`, `floor`, `ceil`, `round` are exact everywhere; `powi` is compiler-builtins' on
//! every target).

#[no_mangle]
pub extern "C" fn log(x: f64) -> f64 {
    libm::log(x)
}

#[no_mangle]
pub extern "C" fn exp(x: f64) -> f64 {
    libm::exp(x)
}

#[no_mangle]
pub extern "C" fn log1p(x: f64) -> f64 {
    libm::log1p(x)
}

#[no_mangle]
pub extern "C" fn expm1(x: f64) -> f64 {
    libm::expm1(x)
}

#[no_mangle]
pub extern "C" fn pow(x: f64, y: f64) -> f64 {
    libm::pow(x, y)
}

#[no_mangle]
pub extern "C" fn cos(x: f64) -> f64 {
    libm::cos(x)
}
