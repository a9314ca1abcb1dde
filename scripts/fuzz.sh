#!/usr/bin/env bash
# `make fuzz`: run the cargo-fuzz target `analyze` for FUZZ_SECONDS (default 60).
# Installs a minimal nightly toolchain and cargo-fuzz (into .tools/) if missing; the default
# toolchain stays stable.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.tools/bin:$PATH"
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
TARGET=${FUZZ_TARGET:-analyze}

say() { printf 'fuzz: %s\n' "$*"; }

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "rustup toolchain install nightly --profile minimal"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo install cargo-fuzz --root .tools"
  cargo install cargo-fuzz --locked --root "$ROOT/.tools" -j 2 || cargo install cargo-fuzz --root "$ROOT/.tools" -j 2
fi

mkdir -p "fuzz/corpus/$TARGET"
say "cargo +nightly fuzz run $TARGET (${SECONDS_TO_RUN}s)"
cargo +nightly fuzz run "$TARGET" "fuzz/corpus/$TARGET" fuzz/seeds -- \
  -dict=fuzz/analyze.dict -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -rss_limit_mb=4096
