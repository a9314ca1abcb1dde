#!/usr/bin/env bash
# Build the npm package's WebAssembly: cargo → wasm-bindgen (--target web) → wasm-opt.
#
# Output: pkg/wasm/{tend.js, tend.d.ts, tend_bg.wasm, tend_bg.wasm.d.ts} (ignored by git, listed
# in pkg/package.json "files") and bench/out/size.json. No wasm-pack: fewer tools, and nothing
# that could try to download from GitHub.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PATH="$ROOT/.tools/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf 'build: %s\n' "$*"; }
die() { printf 'build: error: %s\n' "$*" >&2; exit 1; }

JOBS=${JOBS:-2}
RAW=target/wasm32-unknown-unknown/release/tend.wasm
OUT=pkg/wasm
STAMP=$OUT/.built-from

# 1. Compile the crate for wasm32.
say "cargo build --release --target wasm32-unknown-unknown --lib -j $JOBS"
cargo build --release --target wasm32-unknown-unknown --lib -j "$JOBS"
[ -f "$RAW" ] || die "$RAW was not produced"

# Skip the rest when the module is unchanged since the last build.
sum=$(sha256sum "$RAW" "$0" | sha256sum | cut -c1-64)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$sum" ] && [ -f "$OUT/tend_bg.wasm" ] && [ -f "$OUT/tend.js" ]; then
  say "pkg/wasm is up to date"
else
  # 2. JS bindings. The CLI must match the crate's wasm-bindgen version exactly.
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  [ "$have" = "$want" ] || die "wasm-bindgen CLI is '${have:-missing}', Cargo.lock wants $want: run scripts/setup.sh"
  rm -rf "$OUT"
  mkdir -p "$OUT"
  say "wasm-bindgen $have --target web --out-dir $OUT --out-name tend"
  wasm-bindgen "$RAW" --target web --out-dir "$OUT" --out-name tend

  # 3. wasm-opt from npm binaryen (Debian's binaryen 108 produces modules that fail to load).
  WASM_OPT=$ROOT/node_modules/.bin/wasm-opt
  [ -x "$WASM_OPT" ] || die "node_modules/.bin/wasm-opt is missing: run scripts/setup.sh (npm ci)"
  ver=$("$WASM_OPT" --version | sed -n 's/^wasm-opt version \([0-9]*\).*/\1/p')
  [ -n "$ver" ] && [ "$ver" -ge 116 ] || die "$WASM_OPT is binaryen '${ver:-unknown}', need >= 116"
  # The features rustc enables by default for wasm32-unknown-unknown, which wasm-bindgen keeps.
  FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
            --enable-mutable-globals --enable-reference-types --enable-multivalue)
  in=$OUT/tend_bg.wasm
  best=""
  for level in -Oz -Os; do
    "$WASM_OPT" "$level" "${FEATURES[@]}" --strip-debug --strip-producers "$in" -o "$OUT/opt$level.wasm"
    size=$(stat -c %s "$OUT/opt$level.wasm")
    say "wasm-opt $level (binaryen $ver): $size bytes"
    if [ -z "$best" ] || [ "$size" -lt "$(stat -c %s "$best")" ]; then best=$OUT/opt$level.wasm; fi
  done
  lvl=${best##*/opt}; lvl=${lvl%.wasm}
  say "using wasm-opt $lvl: $(stat -c %s "$in") → $(stat -c %s "$best") bytes"
  mv "$best" "$in"
  rm -f "$OUT"/opt-O*.wasm

  # 4. The optimised module must load and answer.
  node --input-type=module -e "
    const m = await import('$ROOT/pkg/index.js');
    const v = m.version();
    if (typeof v !== 'string' || !v) throw new Error('version() returned ' + v);
    console.log('build: the optimised module loads in Node (tend ' + v + ')');
  " || die "the optimised module does not load"
  echo "$sum" > "$STAMP"
fi

# 5. Sizes, raw / gzip / brotli.
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
  const out = { wasm: size('$OUT/tend_bg.wasm'), glue: size('$OUT/tend.js'), date: new Date().toISOString() };
  writeFileSync('bench/out/size.json', JSON.stringify(out, null, 2) + '\n');
  const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
  console.log('build: tend_bg.wasm ' + kb(out.wasm.raw) + ' raw, ' + kb(out.wasm.gzip) + ' gzip, ' + kb(out.wasm.brotli) + ' brotli; tend.js ' + kb(out.glue.raw) + ' raw, ' + kb(out.glue.gzip) + ' gzip');
"
