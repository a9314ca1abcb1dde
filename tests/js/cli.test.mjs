// The command-line tool: `node pkg/cli.js <file> [--as-of DATE] [--json] [--policy FILE]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AS_OF, CLI, SAMPLE, smallExport, node } from './helpers.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tend-cli-'));
function file(name, content) {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
const cli = (...args) => node([CLI, ...args]);

test('the sample: flags grouped by owner, then the summary', () => {
  assert.ok(existsSync(SAMPLE), 'www/sample/export.json is missing (node tools/gen-sample.mjs writes it)');
  const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  const r = cli(SAMPLE);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const report = JSON.parse(cli(SAMPLE, '--json').stdout);
  const owners = [...new Set(report.customers.flatMap((c) => c.neglect.map((f) => f.owner ?? c.owner ?? '(no owner)')))];
  assert.ok(owners.length >= 2, 'the sample has flags for several owners');
  const headings = out.split('\n').filter((l) => /^\S.* — \d+ open flags?$/.test(l)).map((l) => l.replace(/ — .*/, ''));
  assert.deepEqual(headings, [...owners].sort((a, b) => a.localeCompare(b, 'en')), 'one heading per owner, sorted');
  const open = report.customers.reduce((n, c) => n + c.neglect.length, 0);
  assert.match(out, new RegExp(`^${report.customers.length} customers analysed, ${open} open flags?`, 'm'));
  assert.match(out, /^input \(received\/used\/rejected\/future\): customers \d+\/\d+\/\d+\/\d+/m);
  const data = sample.data ?? sample;
  assert.match(out, new RegExp(`customers ${data.customers.length}/`));
  for (const rej of report.input.rejected) {
    assert.ok(out.includes(`${rej.table}#${rej.index}`), `rejected row ${rej.table}#${rej.index} listed`);
  }
  // The envelope's asOf is used.
  if (sample.asOf) assert.equal(Date.parse(report.asOf), Date.parse(sample.asOf));
});

test('rows are most overdue first within an owner; snoozed flags are marked', () => {
  const r = cli(file('small.json', smallExport()), '--as-of', AS_OF);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n');
  const alice = lines.indexOf(lines.find((l) => l.startsWith('Alice — ')));
  const carla = lines.indexOf(lines.find((l) => l.startsWith('Carla — ')));
  assert.ok(alice >= 0 && carla > alice, r.stdout);
  assert.ok(!lines.some((l) => l.startsWith('Bob — ')), 'an owner without open flags has no heading');
  const rows = [];
  for (let i = alice + 2; lines[i]; i++) rows.push(lines[i]);
  const overdue = rows.map((l) => Number(l.match(/\s(\d+(?:\.\d+)?)\s{2}/)[1]));
  assert.deepEqual(overdue, [...overdue].sort((a, b) => b - a), 'most overdue first');
  assert.ok(rows.some((l) => /Gamma \(c3\).*\[snoozed\].*champion on holiday/.test(l)), rows.join('\n'));
  assert.match(r.stdout, /Acme Ltd \(c1\)\s+unreturned_contact\s+2026-11-20\s+4\s+Return the missed call of Thu 19 Nov/);
  assert.match(r.stdout, /orders#1 \(o2\) customerId: unknown customer `nobody`/);
});

test('--json prints the report', () => {
  const r = cli(file('small2.json', smallExport()), '--json', '--as-of=2026-11-26T09:30:00Z');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.asOf, '2026-11-26T09:30:00+00:00');
  assert.equal(report.customers.length, 3);
});

test('an envelope: its asOf and policy, overridden by --as-of and --policy', () => {
  const env = file('env.json', { asOf: '2026-11-20T12:00:00Z', policy: { timezone: '+01:00' }, data: smallExport() });
  const a = JSON.parse(cli(env, '--json').stdout);
  assert.equal(a.asOf, '2026-11-20T13:00:00+01:00');
  assert.equal(a.policy.timezone, '+01:00');
  const pol = file('policy.json', { returnContactWithin: 2 });
  const b = JSON.parse(cli(env, '--json', '--as-of', AS_OF, '--policy', pol).stdout);
  assert.equal(b.asOf, '2026-11-26T09:30:00+00:00');
  assert.equal(b.policy.returnContactWithin, 2);
  assert.equal(b.policy.timezone, '+00:00', '--policy replaces the envelope policy');
});

test('names are printed as plain text', () => {
  const data = smallExport();
  data.customers[0].name = 'Evil\u001b[2J\r\nCorp\u202e <script>';
  const r = cli(file('evil.json', data), '--as-of', AS_OF);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  assert.match(r.stdout, /Evil \[2J Corp  <script> \(c1\)/);
});

test('exit code 2 with one line on errors', () => {
  const cases = [
    [path.join(dir, 'missing.json')],
    [file('bad.json', '{"customers": [')],
    [file('ok.json', smallExport()), '--as-of', 'yesterday'],
    [file('noexport.json', '[1, 2]')],
    [file('nocustomers.json', { orders: [] }), '--as-of', AS_OF],
    [file('ok2.json', smallExport()), '--policy', path.join(dir, 'nope.json')],
    [file('ok3.json', smallExport()), '--policy', file('badpolicy.json', { timezone: 'CET' })],
    [],
    ['--frobnicate'],
  ];
  for (const args of cases) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '');
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^tend: \S/, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.match(cli(file('ok4.json', smallExport()), '--as-of', 'yesterday').stderr, /options\.asOf/);
});

test('--help and --version', () => {
  assert.match(cli('--help').stdout, /^usage: tend <file>/);
  assert.match(cli('--version').stdout, /^\d+\.\d+\.\d+\n$/);
});

test('npx tend-crm resolves to the CLI', () => {
  const bin = path.join(path.dirname(CLI), '..', 'node_modules', '.bin', 'tend-crm');
  assert.ok(existsSync(bin), 'node_modules/.bin/tend is missing (npm ci links the local package)');
  const r = node([bin, '--version']);
  assert.equal(r.status, 0, r.stderr);
});
