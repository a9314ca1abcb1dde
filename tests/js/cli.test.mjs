// The command-line tool: `node pkg/cli.js <file|folder> [--as-of DATE] [--top N] [--json] [--policy FILE]`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AS_OF, CLI, SAMPLE, smallExport, node } from './helpers.mjs';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tend-cli-'));
function file(name, content) {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
function folder(name, files) {
  const p = path.join(dir, name);
  mkdirSync(p, { recursive: true });
  for (const [f, content] of Object.entries(files)) writeFileSync(path.join(p, f), content);
  return p;
}
const cli = (...args) => node([CLI, ...args]);
const SAMPLE_CSV = path.join(path.dirname(SAMPLE), 'csv');
const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
const samplePolicy = file('sample-policy.json', sample.policy);

/** The output's parts: the flag sections, the top of the worklist, the summary. */
function sections(out) {
  const lines = out.split('\n');
  const top = lines.findIndex((l) => /^Top \d+ of \d+ actions/.test(l));
  const summary = lines.findIndex((l) => / customers analysed, /.test(l));
  return { lines, top, summary };
}

/** The numbered entries of the top of the worklist: `{ n, name, id, kind, owner, message, why }`. */
function topEntries(out) {
  const { lines, top, summary } = sections(out);
  if (top < 0) return [];
  const entries = [];
  for (let i = top + 1; i < summary; i++) {
    const m = /^ {0,2}(\d+)\. (.*?)\((.+?)\) — (\S+) — (.+)$/.exec(lines[i]);
    if (!m) continue;
    const message = lines[i + 1].trim();
    const why = lines[i + 2]?.trim().startsWith('why: ') ? lines[i + 2].trim() : null;
    entries.push({ n: Number(m[1]), name: m[2].trim(), id: m[3], kind: m[4], owner: m[5], message, why });
  }
  return entries;
}

test('the sample: flags grouped by owner, then the top of the worklist, then the summary', () => {
  assert.ok(existsSync(SAMPLE), 'www/sample/export.json is missing (node tools/gen-sample.mjs writes it)');
  const r = cli(SAMPLE);
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  const report = JSON.parse(cli(SAMPLE, '--json').stdout);
  const named = [...new Set(report.customers.flatMap((c) => c.neglect.map((f) => f.owner)).filter((o) => o !== null))];
  const unowned = report.customers.some((c) => c.neglect.some((f) => f.owner === null));
  assert.ok(named.length >= 2, 'the sample has flags for several owners');
  const headings = out.split('\n').filter((l) => /^\S.* — \d+ open flags?$/.test(l));
  assert.deepEqual(
    headings.map((l) => l.replace(/ — .*/, '')),
    [...named.sort((a, b) => (a < b ? -1 : 1)), ...(unowned ? ['(no owner)'] : [])],
    'one heading per owner, sorted, the unassigned last',
  );
  for (const h of headings) {
    const [owner, n] = [h.replace(/ — .*/, ''), Number(/— (\d+)/.exec(h)[1])];
    const count = report.customers.reduce((k, c) => k + c.neglect.filter((f) => (f.owner ?? '(no owner)') === owner).length, 0);
    assert.equal(n, count, `${owner}: the flags counted in its heading`);
  }
  const open = report.customers.reduce((n, c) => n + c.neglect.length, 0);
  const snoozed = report.customers.reduce((n, c) => n + c.neglect.filter((f) => f.snoozed).length, 0);
  assert.ok(snoozed > 0);
  assert.match(out, new RegExp(`^${report.customers.length} customers analysed, ${open} open flags? \\(${snoozed} snoozed\\) as of ${report.asOf.replace(/\+/g, '\\+')}$`, 'm'));
  assert.match(out, /^input \(received\/used\/rejected\/future\): customers \d+\/\d+\/\d+\/\d+/m);
  const data = sample.data ?? sample;
  assert.match(out, new RegExp(`customers ${data.customers.length}/`));
  assert.match(out, new RegExp(`^rejected rows \\(${report.input.rejected.length}\\):$`, 'm'));
  for (const rej of report.input.rejected) {
    assert.ok(out.includes(`${rej.table}#${rej.index}`), `rejected row ${rej.table}#${rej.index} listed`);
  }
  // The envelope's asOf is used.
  assert.equal(Date.parse(report.asOf), Date.parse(sample.asOf));

  // Flags, then the top of the worklist (10 by default), then the summary.
  const { lines, top, summary } = sections(out);
  const lastFlagHeading = lines.lastIndexOf(headings.at(-1));
  assert.ok(lastFlagHeading < top && top < summary, 'flags, then the top actions, then the summary');
  assert.equal(lines[top], `Top 10 of ${report.worklist.length} actions, by expected loss (risk × value)`);
  const entries = topEntries(out);
  assert.deepEqual(entries.map((e) => e.n), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(
    entries.map((e) => [e.id, e.kind, e.owner]),
    report.worklist.slice(0, 10).map((w) => [w.customerId, w.kind, w.owner ?? '(no owner)']),
    'the first entries of the ranked worklist, in order',
  );
  entries.forEach((e, i) => {
    const w = report.worklist[i];
    const c = report.customers.find((x) => x.id === w.customerId);
    assert.ok(e.message.startsWith(w.message), `entry ${e.n}: its message`);
    assert.ok(e.why, `entry ${e.n} has a why: line`);
    assert.ok(e.why.startsWith(`why: tier ${c.value.tier}, `), e.why);
    assert.ok(e.why.includes(`risk ${c.risk.level} ${c.risk.score}`), e.why);
    if (c.risk.reasons[0]) assert.ok(e.why.includes(c.risk.reasons[0].text), `entry ${e.n} names the heaviest risk reason: ${e.why}`);
    assert.match(e.why, /; priority [\d,]+$/);
  });
});

test('after the flags: the drivers that are significant and the week\'s state changes, as the API has them', async () => {
  const { Tend } = await import('../../pkg/index.js');
  const out = cli(SAMPLE).stdout;
  const lines = out.split('\n');
  const { top } = sections(out);
  const drivers = lines.findIndex((l) => l.startsWith('What moves satisfaction'));
  const week = lines.findIndex((l) => l.startsWith('This week: '));
  assert.ok(drivers > 0 && drivers < week && week < top, 'flags, drivers, changes, then the worklist');
  const tend = Tend.load(sample);
  try {
    const sig = tend.drivers().drivers.filter((d) => d.significant).slice(0, 5);
    for (const d of sig) assert.ok(lines.slice(drivers, week).some((l) => l.includes(d.event) && l.includes(`${d.effect} (${d.low}…${d.high})`)), d.event);
    if (sig.length === 0) assert.match(lines[drivers], /no driver is significant/);
    const s = tend.summary().changes;
    assert.equal(lines[week], `This week: ${s.days7.red} turned red, ${s.days7.highRisk} high risk, ${s.days7.dissolution} dissolving (30 days: ${s.days30.red} turned red, ${s.days30.highRisk} high risk, ${s.days30.dissolution} dissolving)`);
    const page = tend.changes({ days: 7, limit: 10 });
    page.items.forEach((r, i) => assert.ok(lines[week + 1 + i].includes(`(${r.id}) — entered ${r.entered.join(', ')}`), lines[week + 1 + i]));
  } finally {
    tend.free();
  }
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
  assert.ok(rows.length >= 2, r.stdout);
  const overdue = rows.map((l) => Number(l.match(/\s(\d+(?:\.\d+)?)\s{2}/)[1]));
  assert.deepEqual(overdue, [...overdue].sort((a, b) => b - a), 'most overdue first');
  assert.ok(rows.some((l) => /Gamma \(c3\).*\[snoozed\].*champion on holiday/.test(l)), rows.join('\n'));
  assert.match(r.stdout, /Acme Ltd \(c1\)\s+unreturned_contact\s+2026-11-20\s+4\s+Return the missed call of Thu 19 Nov/);
  assert.match(r.stdout, /orders#1 \(o2\) customerId: unknown customer `nobody`/);
});

test('--top N: the first N entries of the worklist, each with why; 0 prints none', () => {
  const report = JSON.parse(cli(SAMPLE, '--json').stdout);
  for (const args of [['--top', '3'], ['--top=3']]) {
    const r = cli(SAMPLE, ...args);
    assert.equal(r.status, 0, r.stderr);
    const { lines, top } = sections(r.stdout);
    assert.equal(lines[top], `Top 3 of ${report.worklist.length} actions, by expected loss (risk × value)`);
    const entries = topEntries(r.stdout);
    assert.deepEqual(entries.map((e) => [e.n, e.id, e.kind]), report.worklist.slice(0, 3).map((w, i) => [i + 1, w.customerId, w.kind]));
    assert.ok(entries.every((e) => e.why), 'every entry says why');
  }
  const all = cli(SAMPLE, '--top', '10000');
  assert.equal(all.status, 0, all.stderr);
  assert.equal(topEntries(all.stdout).length, report.worklist.length, 'more than the worklist holds: all of it');
  assert.match(all.stdout, new RegExp(`^Top ${report.worklist.length} of ${report.worklist.length} actions`, 'm'));
  const none = cli(SAMPLE, '--top', '0');
  assert.equal(none.status, 0, none.stderr);
  assert.doesNotMatch(none.stdout, /^Top /m);
  assert.doesNotMatch(none.stdout, /why: /);
  assert.match(none.stdout, / customers analysed, /);
  // The flags and the summary do not depend on --top.
  const strip = (out) => out.replace(/^Top [\s\S]*?\n\n/m, '');
  assert.equal(strip(cli(SAMPLE, '--top', '3').stdout), none.stdout);
});

test('a folder of CSV files: the same output as the JSON sample, rejected rows with their line and column', () => {
  const json = cli(SAMPLE, '--top', '5');
  const csv = cli(SAMPLE_CSV, '--as-of', sample.asOf, '--policy', samplePolicy, '--top', '5');
  assert.equal(csv.status, 0, csv.stderr);
  assert.equal(json.status, 0, json.stderr);
  const rejected = csv.stdout.split('\n').filter((l) => /^ {2}\w+#\d+ /.test(l));
  assert.ok(rejected.length > 0);
  for (const l of rejected) assert.match(l, /^ {2}\w+#\d+ \(\S+\) line \d+, column \d+ \w+: /);
  assert.equal(csv.stdout.replace(/ line \d+, column \d+/g, ''), json.stdout);
  // --json: the report, with line and column in the rejected rows.
  const a = JSON.parse(cli(SAMPLE_CSV, '--json', '--as-of', sample.asOf, '--policy', samplePolicy).stdout);
  const b = JSON.parse(cli(SAMPLE, '--json').stdout);
  assert.ok(a.input.rejected.every((r) => Number.isInteger(r.line) && Number.isInteger(r.column)));
  const strip = (r) => ({ ...r, input: { ...r.input, rejected: r.input.rejected.map(({ line, column, ...x }) => x) } });
  assert.deepEqual(strip(a), strip(b));
});

test('a folder: files named after their table (any case), other files ignored, absent tables not recorded', () => {
  const d = folder('crm-export', {
    'Customers.CSV': 'id,name,owner\r\nc1,"Acme, Ltd",Alice\r\nc2,Beta,Bob\r\n',
    'contacts.csv': 'id,customerId,at,direction,channel,status\nk1,c1,2026-11-19T09:30:00Z,inbound,call,missed\nk2,c2,2026-13-01,inbound,call,missed\n',
    'notes.csv': 'this,is,not,a,table\n',
    'README.txt': 'exported from the CRM',
  });
  const r = cli(d, '--as-of', AS_OF);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Alice — 1 open flag$/m);
  assert.match(r.stdout, /Acme, Ltd \(c1\)\s+unreturned_contact/);
  assert.match(r.stdout, /^2 customers analysed, 1 open flag as of 2026-11-26T09:30:00\+00:00$/m);
  assert.match(r.stdout, /input \(received\/used\/rejected\/future\): customers 2\/2\/0\/0, contacts 2\/1\/1\/0$/m);
  assert.match(r.stdout, /^ {2}contacts#1 \(k2\) line 3, column 3 at: expected an ISO 8601 date/m);
  // No orders file: buying is not recorded, not "never", and the why line says so.
  assert.match(r.stdout, /^not evaluated \(no orders in the export\): the buying status \(not_recorded\)/m);
  const whys = topEntries(r.stdout).map((e) => e.why);
  assert.ok(whys.length > 0 && whys.every((w) => w.startsWith('why: tier C (no orders in the export); ')), whys.join('\n'));
  const report = JSON.parse(cli(d, '--json', '--as-of', AS_OF).stdout);
  assert.equal(report.input.orders.received, 0);
  assert.equal(report.customers[0].name, 'Acme, Ltd');
  assert.deepEqual(report.customers.map((c) => c.buying.status), ['not_recorded', 'not_recorded']);
});

test('--json prints the report', () => {
  const r = cli(file('small2.json', smallExport()), '--json', '--as-of=2026-11-26T09:30:00Z');
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.asOf, '2026-11-26T09:30:00+00:00');
  assert.equal(report.customers.length, 3);
  assert.ok(Array.isArray(report.worklist));
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
  // In the top of the worklist too.
  assert.ok(topEntries(r.stdout).some((e) => e.name === 'Evil [2J Corp  <script>'), r.stdout);
});

test('exit code 2 with a `tend-crm: ` line on errors', () => {
  const noCustomers = folder('no-customers', { 'orders.csv': 'id,customerId,at,amount\n' });
  const badHeader = folder('bad-header', { 'customers.csv': 'id\nc1\n', 'orders.csv': 'id,customerId,at\no1,c1,2026-01-01\n' });
  const emptyDir = folder('empty', {});
  const cases = [
    [[path.join(dir, 'missing.json')], /no such file/],
    [[file('bad.json', '{"customers": [')], /./],
    [[file('ok.json', smallExport()), '--as-of', 'yesterday'], /options\.asOf/],
    [[file('noexport.json', '[1, 2]')], /./],
    [[file('nocustomers.json', { orders: [] }), '--as-of', AS_OF], /data\.customers/],
    [[file('ok2.json', smallExport()), '--policy', path.join(dir, 'nope.json')], /policy file/],
    [[file('ok3.json', smallExport()), '--policy', file('badpolicy.json', { timezone: 'CET' })], /timezone/],
    [[noCustomers], /no customers\.csv/],
    [[emptyDir], /no customers\.csv/],
    [[badHeader], /csv\.orders.*`amount`/],
    [[SAMPLE, '--top', 'ten'], /--top needs a whole number/],
    [[SAMPLE, '--top', '-1'], /./],
    [[SAMPLE, '--top'], /--top needs a value/],
    [[SAMPLE, SAMPLE], /unexpected argument/],
    [[], /no file or folder given/],
    [['--frobnicate'], /unknown option `--frobnicate`/],
  ];
  for (const [args, message] of cases) {
    const r = cli(...args);
    const what = args.map((a) => path.basename(a)).join(' ') || '(no arguments)';
    assert.equal(r.status, 2, `${what}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stdout, '', what);
    const first = r.stderr.split('\n')[0];
    assert.match(first, /^tend-crm: \S/, what);
    assert.match(first, message, what);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('--help and --version', () => {
  const help = cli('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: tend-crm <file\|folder>/);
  for (const opt of ['--as-of', '--top', '--policy', '--json', '--version']) assert.ok(help.stdout.includes(opt), opt);
  assert.match(cli('-h').stdout, /^usage: tend-crm /);
  const pkg = JSON.parse(readFileSync(path.join(path.dirname(CLI), 'package.json'), 'utf8'));
  assert.equal(cli('--version').stdout, `${pkg.version}\n`);
});

test('npx tend-crm resolves to the CLI', () => {
  const bin = path.join(path.dirname(CLI), '..', 'node_modules', '.bin', 'tend-crm');
  assert.ok(existsSync(bin), 'node_modules/.bin/tend-crm is missing (npm ci links the local package)');
  const r = node([bin, '--version']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});
