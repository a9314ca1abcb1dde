#!/usr/bin/env bash
# The Python package tend-crm (python/) in the ignored virtualenv .venv/.
#
#   scripts/python.sh setup    create .venv with the pins of python/requirements.txt (when they
#                              changed), then build the extension module into it
#   scripts/python.sh build    only (re)build the extension module (maturin develop --release)
#   scripts/python.sh pytest … run pytest in .venv (PYSPARK_PYTHON set to its interpreter)
#
# Everything comes from PyPI through pip; maturin (pinned) builds the PyO3 crate python/Cargo.toml
# (its own Cargo.lock) into target/python — a target directory of its own, so a build here never
# waits for the wasm build's lock (TEND_PY_TARGET overrides it).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv
export CARGO_TARGET_DIR=${TEND_PY_TARGET:-$ROOT/target/python}

say() { printf 'python: %s\n' "$*"; }
die() { printf 'python: error: %s\n' "$*" >&2; exit 1; }

venv() {
  command -v python3 >/dev/null || die "python3 not found (3.10 or newer): apt-get install python3 python3-venv"
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' || die "Python >= 3.10 is required, found $(python3 --version)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "python3 -m venv .venv"
    python3 -m venv "$VENV" || die "python3 -m venv failed: apt-get install python3-venv"
  fi
  local want have
  want=$(sha256sum python/requirements.txt | cut -c1-16)
  have=$(cat "$VENV/.tend-requirements" 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    say "pip install -r python/requirements.txt (pyarrow, pytest, maturin, pyspark[connect], pysail)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r python/requirements.txt
    echo "$want" > "$VENV/.tend-requirements"
  fi
  command -v java >/dev/null || say "warning: no java on PATH: the Spark tests on local[2] need Java 17 (apt-get install openjdk-17-jre-headless)"
}

build() {
  [ -x "$VENV/bin/maturin" ] || die ".venv has no maturin: run scripts/python.sh setup"
  say "maturin develop --release (target $CARGO_TARGET_DIR)"
  VIRTUAL_ENV=$VENV PATH="$VENV/bin:$PATH" "$VENV/bin/maturin" develop --release -m python/Cargo.toml -q
  "$VENV/bin/python" -c 'import tend; print("python: tend", tend.__file__)'
}

case ${1:-setup} in
  setup) venv; build ;;
  build) build ;;
  pytest)
    shift
    export PYSPARK_PYTHON=$VENV/bin/python PYSPARK_DRIVER_PYTHON=$VENV/bin/python
    exec "$VENV/bin/python" -m pytest "$@" ;;
  *) die "unknown command \`$1\` (setup, build, pytest)" ;;
esac
