#!/usr/bin/env bash
# Install what building and testing Tend needs, and only what is missing (idempotent).
#
#   scripts/setup.sh          everything: build tools, npm dev dependencies, Chromium + driver
#   scripts/setup.sh build    only what `make build` / `make demo` need (no browser)
#   scripts/setup.sh python   only the Python package: .venv/ with pinned PyPI versions and the
#                             extension module built into it (scripts/python.sh; also part of all)
#
# Tools go to ignored, relocatable places: cargo-installed binaries in .tools/bin, npm packages in
# node_modules. Nothing is downloaded from GitHub: wasm-bindgen comes from crates.io, wasm-opt
# from the npm package `binaryen`, Chromium from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WHAT=${1:-all}

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
if [ "$WHAT" = python ]; then
  exec bash scripts/python.sh setup
fi
command -v node >/dev/null || die "node not found: install Node.js >= 20"
command -v npm >/dev/null || die "npm not found: install Node.js >= 20 with npm"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is required, found $(node --version)"

# 1. The wasm32 target.
if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
else
  rustc --print target-list >/dev/null
  [ -d "$(rustc --print sysroot)/lib/rustlib/wasm32-unknown-unknown" ] \
    || die "the wasm32-unknown-unknown target is missing and rustup is not available to add it"
fi

# 2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
if [ ! -f Cargo.lock ]; then
  say "Cargo.lock is missing: cargo generate-lockfile"
  cargo generate-lockfile
fi
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want" ] || die "no wasm-bindgen package in Cargo.lock"
# A per-user cache outside the work tree lets a fresh clone on the same machine skip the build.
CACHE=${TEND_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tend-tools}/wasm-bindgen-$want
bindgen_ok() {
  [ "$("$1/wasm-bindgen" --version 2>/dev/null | awk '{print $2}')" = "$want" ] &&
    [ "$("$1/wasm-bindgen-test-runner" --version 2>/dev/null | awk '{print $2}')" = "$want" ]
}
if ! bindgen_ok "$ROOT/.tools/bin"; then
  mkdir -p "$ROOT/.tools/bin"
  if bindgen_ok "$CACHE"; then
    say "wasm-bindgen-cli $want from the cache $CACHE"
    cp "$CACHE/wasm-bindgen" "$CACHE/wasm-bindgen-test-runner" "$ROOT/.tools/bin/"
  else
    say "cargo install wasm-bindgen-cli --version $want --root .tools (takes a few minutes)"
    # Not --locked: the CLI's own lock file names a crate version the registry does not serve.
    cargo install wasm-bindgen-cli --version "$want" --root "$ROOT/.tools" --force -j 2
    if mkdir -p "$CACHE" 2>/dev/null; then
      cp "$ROOT/.tools/bin/wasm-bindgen" "$ROOT/.tools/bin/wasm-bindgen-test-runner" "$CACHE/" 2>/dev/null || true
    fi
  fi
  bindgen_ok "$ROOT/.tools/bin" || die "wasm-bindgen-cli $want did not install"
fi

# 3. npm dev dependencies (binaryen's wasm-opt, typescript, playwright-core) from the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
   || [ package.json -nt node_modules/.package-lock.json ]; then
  say "npm ci"
  npm ci --no-audit --no-fund
fi

# 4. Chromium and its WebDriver (Debian's), for the browser tests.
if [ "$WHAT" = all ]; then
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      say "apt-get install chromium chromium-driver"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -q
      apt-get install -y -q --no-install-recommends chromium chromium-driver
    else
      die "the browser tests need /usr/bin/chromium and /usr/bin/chromedriver: run as root to install them, or \`sudo apt-get install chromium chromium-driver\`"
    fi
  fi
fi

# 5. The Python package and the Spark engines (.venv/, scripts/python.sh).
if [ "$WHAT" = all ]; then
  bash scripts/python.sh setup
fi

say "ok (wasm-bindgen $want, $(node_modules/.bin/wasm-opt --version 2>/dev/null | head -1), node $(node --version))"
