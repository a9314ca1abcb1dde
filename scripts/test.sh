#!/usr/bin/env bash
# Run the test suites and check that each one ran tests (a suite that silently runs nothing fails).
#
#   scripts/test.sh [suite ...]     suites: native wasm-node wasm-browser js types e2e-demo e2e-extension
#                                   python spark (default: all)
#
# Expects `scripts/setup.sh` and `scripts/build.sh` to have run (`make test` does both).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH"
JOBS=${JOBS:-2}
LOGS=$ROOT/target/test-logs
mkdir -p "$LOGS"

SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(native wasm-node wasm-browser js types e2e-demo e2e-extension python spark)

declare -A PASSED FAILED DURATION
ORDER=()

# cargo and wasm-bindgen-test-runner: sum of "test result: ok. N passed; M failed".
cargo_counts() {
  local log=$1
  PASS=$(grep -Eo 'test result: [A-Za-z]+\. [0-9]+ passed' "$log" | awk '{s+=$4} END {print s+0}')
  FAIL=$(grep -Eo '[0-9]+ passed; [0-9]+ failed' "$log" | awk '{s+=$3} END {print s+0}')
}

# node --test (TAP reporter): "# pass N", "# fail N".
node_counts() {
  local log=$1
  PASS=$(awk '/^# pass [0-9]+$/ {s+=$3} END {print s+0}' "$log")
  FAIL=$(awk '/^# fail [0-9]+$/ {s+=$3} END {print s+0}' "$log")
}

# pytest -q: the summary line "N passed, M failed, K errors in Ts" of each run.
pytest_counts() {
  local log=$1 lines
  lines=$(grep -E '^(=+ )?[0-9]+ (passed|failed|error|errors|skipped|deselected)(, [0-9]+ [a-z]+)* in [0-9.]+s' "$log" || true)
  PASS=$(printf '%s\n' "$lines" | grep -Eo '[0-9]+ passed' | awk '{s+=$1} END {print s+0}')
  FAIL=$(printf '%s\n' "$lines" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{s+=$1} END {print s+0}')
}

# run NAME COUNTER COMMAND...: run a suite with its output shown and logged, then record counts.
run() {
  local name=$1 counter=$2
  shift 2
  local log=$LOGS/$name.log start=$SECONDS rc
  ORDER+=("$name")
  printf '\n==== %s: %s\n' "$name" "$*"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  "$counter" "$log"
  if [ "$rc" -ne 0 ] && [ "$FAIL" -eq 0 ]; then FAIL=1; fi   # a build error or a crash
  if [ "$rc" -eq 0 ] && [ "$PASS" -eq 0 ]; then
    echo "test: suite $name ran no test" >&2
    FAIL=1
  fi
  PASSED[$name]=$PASS
  FAILED[$name]=$FAIL
  DURATION[$name]=$((SECONDS - start))
}

native() {
  # Every target (lib, integration tests, examples, benches in test mode), then the doctests
  # (which --all-targets leaves out).
  cargo test -j "$JOBS" --all-targets && cargo test -j "$JOBS" --doc
}

wasm_node() {
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$ROOT/.tools/bin/wasm-bindgen-test-runner" \
    cargo test -j "$JOBS" --target wasm32-unknown-unknown --test wasm_node
}

wasm_browser() {
  [ -x /usr/bin/chromedriver ] || { echo "test: /usr/bin/chromedriver is missing: run scripts/setup.sh"; return 1; }
  # The runner adds --headless, --no-sandbox and --disable-dev-shm-usage; webdriver.json the rest.
  local out
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$ROOT/.tools/bin/wasm-bindgen-test-runner" \
    CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_USE_BROWSER=1 \
    WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120} \
    cargo test -j "$JOBS" --target wasm32-unknown-unknown --test wasm_browser 2>&1 | tee "$LOGS/wasm-browser.raw"
  local rc=${PIPESTATUS[0]}
  # The tests must have run in Chrome, not silently in Node.
  if [ "$rc" -eq 0 ] && ! grep -q 'Running headless tests in Chrome' "$LOGS/wasm-browser.raw"; then
    echo "test: the browser suite did not run in headless Chrome"
    return 1
  fi
  return "$rc"
}

js() {
  [ -f pkg/wasm/tend_bg.wasm ] || { echo "test: pkg/wasm is not built: run scripts/build.sh"; return 1; }
  node --test --test-reporter=tap tests/js/*.test.mjs
}

types() {
  tsc --version && tsc --noEmit -p tsconfig.json && echo "# pass 1"
}

e2e_demo() {
  [ -d www/vendor ] || { echo "test: www/vendor is missing: run scripts/www.sh"; return 1; }
  node --test --test-reporter=tap --test-concurrency=1 tests/e2e/demo-*.test.mjs
}

e2e_extension() {
  bash scripts/extension.sh && node --test --test-reporter=tap --test-concurrency=1 tests/e2e/extension-*.test.mjs
}

python_suite() {
  [ -x .venv/bin/python ] || { echo "test: .venv is missing: run scripts/setup.sh python"; return 1; }
  [ -f pkg/wasm/tend_bg.wasm ] || { echo "test: pkg/wasm is not built: run scripts/build.sh"; return 1; }
  # tend.analyze: Arrow types, rejections, errors; and against the WebAssembly analyze().
  bash scripts/python.sh pytest -q -p no:cacheprovider python/tests/test_analyze.py python/tests/test_parity.py
}

spark_suite() {
  [ -x .venv/bin/python ] || { echo "test: .venv is missing: run scripts/setup.sh python"; return 1; }
  # The same tests on each engine, each in a process of its own (a classic and a Spark Connect
  # session do not share one Python process).
  local rc=0
  TEND_SPARK=local bash scripts/python.sh pytest -q -s -p no:cacheprovider python/tests/test_spark.py || rc=1
  TEND_SPARK=sail bash scripts/python.sh pytest -q -s -p no:cacheprovider python/tests/test_spark.py || rc=1
  return $rc
}

for s in "${SUITES[@]}"; do
  case $s in
    native) run native cargo_counts native ;;
    wasm-node) run wasm-node cargo_counts wasm_node ;;
    wasm-browser) run wasm-browser cargo_counts wasm_browser ;;
    js) run js node_counts js ;;
    types) run types node_counts types ;;
    e2e-demo) run e2e-demo node_counts e2e_demo ;;
    e2e-extension) run e2e-extension node_counts e2e_extension ;;
    python) run python pytest_counts python_suite ;;
    spark) run spark pytest_counts spark_suite ;;
    *) echo "test: unknown suite \`$s\` (native wasm-node wasm-browser js types e2e-demo e2e-extension python spark)" >&2; exit 2 ;;
  esac
done

total_pass=0
total_fail=0
printf '\n==== summary\n'
for name in "${ORDER[@]}"; do
  p=${PASSED[$name]} f=${FAILED[$name]}
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  status=ok
  [ "$f" -eq 0 ] || status=FAILED
  printf '%-13s %-6s %5d passed, %d failed  (%ds)\n' "$name:" "$status" "$p" "$f" "${DURATION[$name]}"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
