// Bind the core's calls to `log`, `exp`, … to this module's own definitions (src/math.rs: the
// `libm` crate, as in the WebAssembly build) instead of the platform's libm at load time.
fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-Bsymbolic");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
