// The npm tarball: `npm pack` in pkg/, installed into an empty project, works by its name
// `tend-crm`, as `tend-crm/core`, by its bin `tend-crm` and through its types (so "files" lists
// everything the package needs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AS_OF, PKG, ROOT, smallExport, node } from './helpers.mjs';

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
  assert.match(tgz, /^tend-crm-\d+\.\d+\.\d+\.tgz$/);
  const listing = spawnSync('tar', ['tzf', path.join(dir, tgz)], { encoding: 'utf8' }).stdout.split('\n');
  for (const f of ['package.json', 'README.md', 'index.js', 'index.d.ts', 'core.js', 'core.d.ts', 'cli.js', 'wasm/tend.js', 'wasm/tend_bg.wasm']) {
    assert.ok(listing.includes(`package/${f}`), `${f} is in the tarball`);
  }
  const app = path.join(dir, 'app');
  npm(['init', '-y', '--silent'], (spawnSync('mkdir', ['-p', app]), app));
  npm(['install', '--offline', '--no-audit', '--no-fund', '--silent', path.join(dir, tgz)], app);
  const installed = JSON.parse(readFileSync(path.join(app, 'node_modules/tend-crm/package.json'), 'utf8'));
  assert.equal(installed.name, 'tend-crm');
  assert.deepEqual(installed.bin, { 'tend-crm': 'cli.js' });
  assert.ok(!existsSync(path.join(app, 'node_modules/tend')), 'nothing installed under the old name');
  assert.ok(!existsSync(path.join(app, 'node_modules/.bin/tend')), 'no bin under the old name');
  writeFileSync(path.join(app, 'data.json'), JSON.stringify(smallExport()));
  writeFileSync(
    path.join(app, 'main.mjs'),
    `import { analyze, version, Tend } from 'tend-crm';
     import * as core from 'tend-crm/core';
     import { readFileSync } from 'node:fs';
     const r = analyze(readFileSync('data.json'), { asOf: ${JSON.stringify(AS_OF)} });
     const t = Tend.load(readFileSync('data.json'), { asOf: ${JSON.stringify(AS_OF)} });
     console.log(version(), r.customers.length, t.worklist().total === r.worklist.length, core.Tend === Tend);
     t.free();`,
  );
  const r = node(['main.mjs'], { cwd: app });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+ 3 true true\n$/);
  const cli = node([path.join(app, 'node_modules/.bin/tend-crm'), 'data.json', '--as-of', AS_OF], { cwd: app });
  assert.equal(cli.status, 0, cli.stderr);
  assert.match(cli.stdout, /3 customers analysed/);
  assert.match(cli.stdout, /^Top \d+ of \d+ actions/m);
  const help = node([path.join(app, 'node_modules/.bin/tend-crm'), '--help'], { cwd: app });
  assert.match(help.stdout, /^usage: tend-crm /);

  // The installed types: a TypeScript user of 'tend-crm' and 'tend-crm/core' compiles, and a
  // mistake does not.
  writeFileSync(
    path.join(app, 'use.ts'),
    `import { Tend, analyze, type Report, type WorkItem } from 'tend-crm';
     import { init } from 'tend-crm/core';
     const t = Tend.load({ customers: [{ id: 'c1' }] }, { asOf: '2026-11-26' });
     const items: WorkItem[] = t.worklist({ sort: 'overdue:desc' }).items;
     const r: Report = analyze({ customers: [] });
     void [items, r, init];
     t.free();\n`,
  );
  writeFileSync(path.join(app, 'bad.ts'), `import { Tend } from 'tend-crm';\nTend.load({ customers: [] }).worklist({ sort: 'nope' });\n`);
  const tsc = (f) => {
    const config = { compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022', 'dom'], types: [], noEmit: true }, files: [f] };
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(config));
    return spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' });
  };
  const ok = tsc('use.ts');
  assert.equal(ok.status, 0, `tsc use.ts: ${ok.stdout}${ok.stderr}`);
  const bad = tsc('bad.ts');
  assert.notEqual(bad.status, 0, 'tsc rejects an unknown sort field');
  assert.match(bad.stdout, /nope/);
});
