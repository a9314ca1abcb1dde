#!/usr/bin/env bash
# Copy the demo page's third-party browser libraries from node_modules into www/vendor/ (ignored
# by git). Nothing else is copied: the page loads the package itself from ../pkg/.
#   chart.js   (charts)      → www/vendor/chart.umd.min.js
# The version is the exact devDependency of package.json (npm ci installs it). CSV is read by
# the engine inside WebAssembly: no CSV library is shipped.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { printf 'www: error: %s\n' "$*" >&2; exit 1; }

OUT=www/vendor
# package  file-in-package  target-name
FILES=(
  "chart.js dist/chart.umd.min.js chart.umd.min.js"
  "chart.js LICENSE.md chart.js.LICENSE.md"
)

for entry in "${FILES[@]}"; do
  read -r pkg file _ <<<"$entry"
  [ -f "node_modules/$pkg/package.json" ] ||
    die "node_modules/$pkg is missing: run \`npm ci\` (it is a devDependency in package.json)"
  [ -f "node_modules/$pkg/$file" ] ||
    die "node_modules/$pkg/$file is missing (unexpected $pkg version? package.json pins it)"
done

mkdir -p "$OUT"
# Libraries the page no longer uses.
rm -f "$OUT/papaparse.min.js" "$OUT/papaparse.LICENSE"
for entry in "${FILES[@]}"; do
  read -r pkg file name <<<"$entry"
  cp "node_modules/$pkg/$file" "$OUT/$name"
done
# The minified files name their source maps; ship those too so the browser's devtools find them.
cp node_modules/chart.js/dist/chart.umd.min.js.map "$OUT/" 2>/dev/null || true

ver() { node -p "require('./node_modules/$1/package.json').version"; }
printf 'www: vendor: chart.js %s → %s/\n' "$(ver chart.js)" "$OUT"
