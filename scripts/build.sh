#!/usr/bin/env bash
# Build the npm package's WebAssembly: cargo → wasm-bindgen (--target web) → wasm-opt, twice:
#
#   pkg/wasm/tend.js, tend_bg.wasm            the engine (what a page loads; feature engine-api)
#   pkg/wasm/tend_models.js, tend_models_bg.wasm   the buying-model API (`tend-crm/models`,
#                                               loaded only when used; feature models-api)
#
# (ignored by git, listed in pkg/package.json "files"), and bench/out/size.json. No wasm-pack:
# fewer tools, and nothing that could try to download from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf 'build: %s\n' "$*"; }
die() { printf 'build: error: %s\n' "$*" >&2; exit 1; }

JOBS=${JOBS:-2}
RAW=target/wasm32-unknown-unknown/release/tend.wasm
OUT=pkg/wasm

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
WASM_OPT=$ROOT/node_modules/.bin/wasm-opt
# The features rustc enables by default for wasm32-unknown-unknown, which wasm-bindgen keeps.
FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
          --enable-mutable-globals --enable-reference-types --enable-multivalue)

# module NAME CARGO_FEATURE: build one module into $OUT/NAME.js and $OUT/NAME_bg.wasm.
module() {
  local name=$1 feature=$2
  say "cargo build --release --target wasm32-unknown-unknown --lib --no-default-features --features $feature"
  cargo build --release --target wasm32-unknown-unknown --lib -j "$JOBS" --no-default-features --features "$feature"
  [ -f "$RAW" ] || die "$RAW was not produced"
  local stamp=$OUT/.built-$name sum
  sum=$(sha256sum "$RAW" "$0" | sha256sum | cut -c1-64)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$OUT/${name}_bg.wasm" ] && [ -f "$OUT/$name.js" ]; then
    say "$OUT/$name is up to date"
    return
  fi
  # JS bindings. The CLI must match the crate's wasm-bindgen version exactly.
  local have
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  [ "$have" = "$want" ] || die "wasm-bindgen CLI is '${have:-missing}', Cargo.lock wants $want: run scripts/setup.sh"
  local tmp=$OUT/.tmp-$name
  rm -rf "$tmp"
  mkdir -p "$tmp"
  say "wasm-bindgen $have --target web --out-name $name"
  wasm-bindgen "$RAW" --target web --out-dir "$tmp" --out-name "$name"
  # wasm-opt from npm binaryen (Debian's binaryen 108 produces modules that fail to load).
  [ -x "$WASM_OPT" ] || die "node_modules/.bin/wasm-opt is missing: run scripts/setup.sh (npm ci)"
  local ver
  ver=$("$WASM_OPT" --version | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p')
  [ -n "$ver" ] && [ "$ver" -ge 116 ] || die "$WASM_OPT is binaryen '${ver:-unknown}', need >= 116"
  local in=$tmp/${name}_bg.wasm
  "$WASM_OPT" -Oz --converge --low-memory-unused "${FEATURES[@]}" --strip-debug --strip-producers "$in" -o "$in.opt"
  say "wasm-opt -Oz (binaryen $ver): $(stat -c %s "$in") → $(stat -c %s "$in.opt") bytes"
  mv "$in.opt" "$in"
  for f in "$tmp"/*; do mv "$f" "$OUT/"; done
  rmdir "$tmp"
  echo "$sum" > "$stamp"
}

mkdir -p "$OUT"
module tend engine-api
module tend_models models-api

# The optimised modules must load and answer.
node --input-type=module -e "
  const m = await import('$ROOT/pkg/index.js');
  const v = m.version();
  if (typeof v !== 'string' || !v) throw new Error('version() returned ' + v);
  const b = await import('$ROOT/pkg/models.js');
  if (typeof b.fitBuyingModel !== 'function') throw new Error('tend-crm/models has no fitBuyingModel');
  console.log('build: the optimised modules load in Node (tend-crm ' + v + ')');
" || die "the optimised modules do not load"

# Sizes, raw / gzip / brotli.
mkdir -p bench/out
node --input-type=module -e "
  import { readFileSync, writeFileSync } from 'node:fs';
  import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
  const size = (f) => {
    const b = readFileSync(f);
    return {
      raw: b.length,
      gzip: gzipSync(b, { level: 9 }).length,
      brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  };
  const out = {
    wasm: size('$OUT/tend_bg.wasm'),
    glue: size('$OUT/tend.js'),
    models: size('$OUT/tend_models_bg.wasm'),
    modelsGlue: size('$OUT/tend_models.js'),
    date: new Date().toISOString(),
  };
  writeFileSync('bench/out/size.json', JSON.stringify(out, null, 2) + '\n');
  const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
  const line = (name, s) => name + ' ' + kb(s.raw) + ' raw, ' + kb(s.gzip) + ' gzip, ' + kb(s.brotli) + ' brotli';
  console.log('build: ' + line('tend_bg.wasm', out.wasm) + '; tend.js ' + kb(out.glue.raw) + ' raw, ' + kb(out.glue.gzip) + ' gzip');
  console.log('build: ' + line('tend_models_bg.wasm (tend-crm/models, loaded on demand)', out.models));
"
