#!/usr/bin/env bash
# Build the Manifest V3 extension: extension/ + the built package → extension/dist (unpacked,
# load it with chrome://extensions → "Load unpacked", or --load-extension) and
# extension/dist.zip (for a store). Assumes `make build` ran (pkg/wasm exists). The package
# (tend-crm: its init-on-demand entry core.js and the modules it imports) goes to
# extension/dist/tend-crm/; the buying-model module (tend-crm/models) is not needed.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=extension
OUT=extension/dist
ZIP=extension/dist.zip

say() { printf 'extension: %s\n' "$*"; }
die() { printf 'extension: error: %s\n' "$*" >&2; exit 1; }

PKG_JS=(core.js errors.js loader.js rows.js)
for f in "${PKG_JS[@]/#/pkg/}" pkg/wasm/tend.js pkg/wasm/tend_bg.wasm; do
  [ -f "$f" ] || die "$f is missing: run \`make build\` first"
done

rm -rf "$OUT" "$ZIP"
mkdir -p "$OUT/content/adapters" "$OUT/worker" "$OUT/tend-crm/wasm"

# The extension's own files (not README, tools/ or dist/).
cp "$SRC"/manifest.json "$SRC"/background.js \
   "$SRC"/popup.html "$SRC"/popup.js "$SRC"/popup.css \
   "$SRC"/options.html "$SRC"/options.js "$SRC"/options.css "$OUT"/
cp "$SRC"/content/*.js "$OUT/content/"
cp "$SRC"/content/adapters/*.js "$OUT/content/adapters/"
cp "$SRC"/worker/*.js "$OUT/worker/"
# The demo page's element helpers, shared by the popup and the options page (`import … from
# './dom.js'`), and its PageError, shared by the service worker (`import … from '../protocol.js'`):
# one definition for the page and the extension.
cp www/dom.js "$OUT/dom.js"
cp www/protocol.js "$OUT/protocol.js"
# The content scripts are classic scripts (registered with chrome.scripting, which cannot load
# modules): they get the same www/dom.js as content/dom.js, its declarations inside a function
# and its exports as globalThis.TendDom (of the content scripts' isolated world), first in
# worker/sites.js's CONTENT_JS.
grep -Eq '^[[:space:]]*(import|export[[:space:]]*(\{|\*|default))' www/dom.js && die "www/dom.js must keep to \`export const|function\` declarations without imports (content/dom.js is made from it)"
DOM_NAMES=$(grep -oE '^export (const|let|function|class) [A-Za-z_$][A-Za-z0-9_$]*' www/dom.js | awk '{print $3}' | paste -sd, - | sed 's/,/, /g')
{
  echo '// Made by scripts/extension.sh from www/dom.js (edit that file): its exports as globalThis.TendDom'
  echo '// for the content scripts, which are classic scripts.'
  echo '(() => {'
  echo "  'use strict';"
  echo '  if (globalThis.TendDom) return;'
  sed -E 's/^export //' www/dom.js
  echo "  globalThis.TendDom = Object.freeze({ $DOM_NAMES });"
  echo '})();'
} > "$OUT/content/dom.js"
node --check "$OUT/content/dom.js" || die "$OUT/content/dom.js does not parse"

# The package: the init-on-demand entry (no top-level await in a service worker) and the
# wasm-bindgen output it imports.
cp "${PKG_JS[@]/#/pkg/}" "$OUT/tend-crm/"
cp pkg/wasm/tend.js pkg/wasm/tend_bg.wasm "$OUT/tend-crm/wasm/"

node "$SRC/tools/icons.mjs" "$OUT/icons" >/dev/null

# Checks: every file the manifest names exists; the CSP adds only 'wasm-unsafe-eval'; the
# permissions are the documented ones; no script refers to a remote URL; every relative module
# import resolves to a file of the build (e.g. a module the package's core.js started to import).
node --input-type=module - "$OUT" <<'EOF'
import { readFileSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const fail = (msg) => { console.error(`extension: error: ${msg}`); process.exit(1); };
const named = [
  m.background.service_worker, m.action.default_popup, m.options_ui.page,
  ...Object.values(m.icons), ...Object.values(m.action.default_icon),
];
for (const f of named) if (!existsSync(join(dir, f))) fail(`manifest names ${f}, which is not in the build`);
if (m.manifest_version !== 3) fail('manifest_version must be 3');
if (m.background.type !== 'module') fail('the service worker must be a module');
if (m.content_security_policy?.extension_pages !== "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'") fail('unexpected extension CSP');
const perms = JSON.stringify([...m.permissions].sort());
if (perms !== JSON.stringify(['scripting', 'storage'])) fail(`unexpected permissions ${perms}`);
// Host access at install only to the two local hosts (their content scripts are registered only
// where the user enables them: worker/sites.js); every other site is an optional permission.
if (JSON.stringify(m.host_permissions ?? []) !== JSON.stringify(['http://127.0.0.1/*', 'http://localhost/*'])) fail(`unexpected host_permissions ${JSON.stringify(m.host_permissions)}`);
if (m.content_scripts?.length) fail('no content script in the manifest: they are registered where the user enabled Tend (worker/sites.js)');
// Every content script worker/sites.js registers is in the build.
const contentJs = /CONTENT_JS = (\[[^\]]*\])/.exec(readFileSync(join(dir, 'worker/sites.js'), 'utf8'))?.[1];
if (!contentJs) fail('worker/sites.js has no CONTENT_JS list');
for (const f of JSON.parse(contentJs.replace(/'/g, '"'))) if (!existsSync(join(dir, f))) fail(`worker/sites.js registers ${f}, which is not in the build`);
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
for (const f of walk(dir).filter((f) => /\.(js|html)$/.test(f))) {
  const text = readFileSync(f, 'utf8');
  const remote = text.match(/(?:src|href)\s*=\s*["']https?:|import\s*\(?\s*["']https?:|importScripts\s*\(\s*["']https?:/);
  if (remote) fail(`${f} loads remote code: ${remote[0]}`);
  if (f.endsWith('.js')) {
    for (const m of text.matchAll(/(?:^|[\s;])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) {
      if (!existsSync(join(f, '..', m[1]))) fail(`${f} imports ${m[1]}, which is not in the build`);
    }
  }
}
EOF

# The store package: a zip of the folder's contents (manifest.json at the root).
if command -v zip >/dev/null 2>&1; then
  (cd "$OUT" && zip -q -X -r "../dist.zip" .)
else
  python3 - "$OUT" "$ZIP" <<'EOF'
import os, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as z:
    for root, dirs, files in os.walk(src):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, src))
EOF
fi

files=$(find "$OUT" -type f | wc -l)
say "built $OUT ($files files, $(du -sk "$OUT" | cut -f1) KiB) and $ZIP ($(( $(stat -c %s "$ZIP") / 1024 )) KiB)"
