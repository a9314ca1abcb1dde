#!/usr/bin/env bash
# `make fuzz`: run every cargo-fuzz target (analyze: the export JSON; csv: CSV tables; options:
# options and policy; update: engine update sequences; models: the fit/score API) for
# FUZZ_SECONDS each (default 60) — or, with FUZZ_RUNS=N, until each has run N inputs — and print
# the executions and crashes of each. Built with debug assertions and overflow checks (-a) and
# without AddressSanitizer (-s none): the core has no `unsafe`, so ASan could only find what a
# panic already reports, and it makes every execution several times slower.
# Installs a minimal nightly toolchain and cargo-fuzz (into .tools/) if missing; the default
# toolchain stays stable.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.tools/bin:$PATH"
SECONDS_TO_RUN=${FUZZ_SECONDS:-60}
RUNS=${FUZZ_RUNS:-}
SANITIZER=${FUZZ_SANITIZER:-none}
if [ -n "$RUNS" ]; then budget=(-runs="$RUNS"); what="$RUNS runs"; else budget=(-max_total_time="$SECONDS_TO_RUN"); what="${SECONDS_TO_RUN}s"; fi

say() { printf 'fuzz: %s\n' "$*"; }

if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  say "rustup toolchain install nightly --profile minimal"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  say "cargo install cargo-fuzz --root .tools"
  cargo install cargo-fuzz --locked --root "$ROOT/.tools" -j 2 || cargo install cargo-fuzz --root "$ROOT/.tools" -j 2
fi

# Every target (FUZZ_TARGET=name for one), FUZZ_SECONDS each; prints the executions of each.
TARGETS=${FUZZ_TARGET:-analyze csv options update models}
summary=()
for t in $TARGETS; do
  mkdir -p "fuzz/corpus/$t"
  dict=()
  case $t in analyze | options | update | models) dict=(-dict=fuzz/analyze.dict) ;; esac
  seeds=()
  [ "$t" = analyze ] && seeds=(fuzz/seeds)
  say "cargo +nightly fuzz run -s $SANITIZER -a $t ($what)"
  log=$(mktemp)
  start=$(date +%s)
  if ! cargo +nightly fuzz run -s "$SANITIZER" -a "$t" "fuzz/corpus/$t" "${seeds[@]}" -- \
    "${dict[@]}" "${budget[@]}" -max_len=65536 -rss_limit_mb=4096 2>&1 | tee "$log" | grep -E '^(Done|==|SUMMARY|thread)' ; then
    :
  fi
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  crashes=$(grep -c -E '^(==[0-9]+== ERROR|SUMMARY: libFuzzer|thread .* panicked)' "$log" || true)
  summary+=("$t: ${runs:-?} executions in $(( $(date +%s) - start )) s, ${crashes} crash(es)")
  rm -f "$log"
done
say "executions per target ($what each, sanitizer $SANITIZER, debug assertions on):"
for line in "${summary[@]}"; do say "  $line"; done
