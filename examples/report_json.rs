//! Print the report of an export or envelope file as JSON.
//!
//! `cargo run --release --example report_json -- www/sample/export.json > report.json`

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: report_json FILE [AS_OF]");
        std::process::exit(2);
    };
    let fallback = std::env::args().nth(2);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(2)
    });
    match tend::analyze_input(&bytes, &serde_json::Value::Null, fallback.as_deref()).and_then(|r| tend::report::to_json(&r)) {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2)
        }
    }
}
