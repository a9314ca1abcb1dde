// The npm tarball: `npm pack` in pkg/, installed into an empty project, works by its name and
// its bin (so "files" lists everything the package needs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AS_OF, PKG, smallExport, node } from './helpers.mjs';

const npm = (args, cwd) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(r.status, 0, `npm ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

test('the packed package installs and runs', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tend-pack-'));
  npm(['pack', '--pack-destination', dir, '--silent'], PKG);
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tgz, 'npm pack wrote a tarball');
  const listing = spawnSync('tar', ['tzf', path.join(dir, tgz)], { encoding: 'utf8' }).stdout.split('\n');
  for (const f of ['index.js', 'index.d.ts', 'core.js', 'core.d.ts', 'cli.js', 'wasm/tend.js', 'wasm/tend_bg.wasm']) {
    assert.ok(listing.includes(`package/${f}`), `${f} is in the tarball`);
  }
  const app = path.join(dir, 'app');
  npm(['init', '-y', '--silent'], (spawnSync('mkdir', ['-p', app]), app));
  npm(['install', '--offline', '--no-audit', '--no-fund', '--silent', path.join(dir, tgz)], app);
  writeFileSync(path.join(app, 'data.json'), JSON.stringify(smallExport()));
  writeFileSync(
    path.join(app, 'main.mjs'),
    `import { analyze, version } from 'tend-crm';
     import { readFileSync } from 'node:fs';
     const r = analyze(readFileSync('data.json'), { asOf: ${JSON.stringify(AS_OF)} });
     console.log(version(), r.customers.length);`,
  );
  const r = node(['main.mjs'], { cwd: app });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+ 3\n$/);
  const cli = node([path.join(app, 'node_modules/.bin/tend-crm'), 'data.json', '--as-of', AS_OF], { cwd: app });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /3 customers analysed/);
});
