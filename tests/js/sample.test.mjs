// Tests of the sample-data generator (tools/gen-sample.mjs): determinism and referential
// integrity of the generated export and its planted-situations manifest.
// Run: node --test tests/js/sample.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TABLES, FIELDS, KEY_DATE, MARKUP_NAME, parseTs } from '../../tools/gen-sample.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const GEN = path.join(ROOT, 'tools/gen-sample.mjs');

function run(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-sample-'));
  execFileSync(process.execPath, [GEN, '--out', path.join(dir, 'export.json'), ...args], { stdio: 'pipe' });
  return dir;
}
function files(dir) {
  const out = {};
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p); else out[path.relative(dir, p)] = fs.readFileSync(p);
    }
  };
  walk(dir);
  return out;
}
/** RFC 4180 reader (quoted fields, doubled quotes, CRLF), enough to read back what the generator writes. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', i = 0, quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(cell); cell = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += ch; i++;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

const a = run(['--seed', '42']);
const b = run(['--seed', '42']);
const c = run(['--seed', '7']);
const env = JSON.parse(fs.readFileSync(path.join(a, 'export.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(path.join(a, 'planted.json'), 'utf8'));
const asOf = parseTs(env.asOf);

test('same seed gives byte-identical output, another seed a different one', () => {
  const fa = files(a), fb = files(b), fc = files(c);
  assert.deepEqual(Object.keys(fa), ['csv/complaints.csv', 'csv/contacts.csv', 'csv/customers.csv', 'csv/deliveries.csv',
    'csv/feedback.csv', 'csv/orders.csv', 'csv/promises.csv', 'csv/snoozes.csv', 'export.json', 'planted.json']);
  assert.deepEqual(Object.keys(fb), Object.keys(fa));
  for (const k of Object.keys(fa)) assert.ok(fa[k].equals(fb[k]), `${k} differs between two runs with seed 42`);
  assert.ok(!fa['export.json'].equals(fc['export.json']), 'seed 7 gave the same export as seed 42');
});

test('the committed sample is what the generator writes with its defaults', () => {
  const committed = path.join(ROOT, 'www/sample');
  const fresh = files(a), have = files(committed);
  for (const k of Object.keys(fresh)) assert.ok(have[k] && fresh[k].equals(have[k]), `www/sample/${k} is stale: run node tools/gen-sample.mjs`);
});

test('envelope: asOf, policy holidays and every table present and non-empty', () => {
  assert.equal(env.asOf, '2026-11-20T17:00:00+00:00');
  assert.ok(Array.isArray(env.policy.holidays) && env.policy.holidays.length >= 1);
  for (const h of env.policy.holidays) assert.ok(parseTs(h) < asOf && parseTs(h) > asOf - 31 * 86_400_000, `holiday ${h} not in the last month`);
  assert.deepEqual(Object.keys(env.data), TABLES);
  for (const t of TABLES) assert.ok(env.data[t].length > 0, `${t} is empty`);
  assert.ok(env.data.customers.length === 300);
  for (const t of TABLES) for (const r of env.data[t]) for (const k of Object.keys(r)) {
    assert.ok(FIELDS[t].includes(k) || (t === 'customers' && k === 'country'), `${t} has unexpected field ${k}`);
  }
});

test('every customerId references a customer, except the planted unknown one', () => {
  const ids = new Set(env.data.customers.map((r) => r.id));
  assert.equal(ids.size, env.data.customers.length);
  const unknownAllowed = new Set(manifest.rejected.filter((r) => r.field === 'customerId').map((r) => `${r.table}#${r.index}`));
  assert.equal(unknownAllowed.size, 1);
  const unknown = [];
  for (const t of TABLES.slice(1)) env.data[t].forEach((r, i) => { if (!ids.has(r.customerId)) unknown.push(`${t}#${i}`); });
  assert.deepEqual(unknown, [...unknownAllowed]);
  for (const r of env.data.customers) if (r.referredBy !== undefined) assert.ok(ids.has(r.referredBy) && r.referredBy !== r.id);
  for (const r of env.data.snoozes) assert.ok(ids.has(r.customerId));
});

test('manifest: planted evidence and customers exist; markup name present', () => {
  const ids = new Set(env.data.customers.map((r) => r.id));
  const byId = Object.fromEntries(TABLES.filter((t) => t !== 'snoozes').map((t) => [t, new Map(env.data[t].map((r) => [r.id, r]))]));
  const kinds = new Set(['unreturned_contact', 'broken_promise', 'complaint_no_response', 'complaint_overdue', 'complaint_no_update',
    'no_outreach', 'no_feedback', 'delivery_failure']);
  const positive = new Set();
  for (const p of manifest.planted) {
    assert.ok(ids.has(p.customerId), `unknown planted customer ${p.customerId}`);
    assert.ok(kinds.has(p.kind), p.kind);
    assert.equal(typeof p.note, 'string');
    if (!p.mustNotFlag) positive.add(p.kind);
    if (p.evidence === null) { assert.ok(['no_outreach', 'no_feedback'].includes(p.kind)); continue; }
    const row = byId[p.evidence.table]?.get(p.evidence.id);
    assert.ok(row, `evidence ${p.evidence.table}/${p.evidence.id} missing`);
    assert.equal(row.customerId, p.customerId);
  }
  assert.deepEqual([...positive].sort(), [...kinds].sort(), 'every neglect kind is planted at least once');
  assert.ok(manifest.planted.some((p) => p.mustNotFlag));
  assert.ok(manifest.planted.some((p) => p.snoozed === true));
  for (const [id, flags] of Object.entries(manifest.expectedFlags)) {
    assert.ok(ids.has(id));
    for (const f of flags) if (f.evidence) assert.ok(byId[f.evidence.table].get(f.evidence.id));
  }
  // most customers are well attended
  assert.ok(Object.keys(manifest.expectedFlags).length < env.data.customers.length / 10);
  assert.ok(env.data.customers.some((r) => r.name === MARKUP_NAME));
});

test('manifest: rejected rows and future counts match the data', () => {
  assert.equal(manifest.rejected.length, 6);
  for (const r of manifest.rejected) {
    const row = env.data[r.table][r.index];
    assert.ok(row, `${r.table}[${r.index}] missing`);
    assert.equal(row.id, r.id);
  }
  const dup = manifest.rejected.find((r) => r.field === 'id');
  assert.ok(env.data[dup.table].findIndex((r) => r.id === dup.id) < dup.index, 'the duplicate comes after the kept row');
  const rejected = new Set(manifest.rejected.map((r) => `${r.table}#${r.index}`));
  for (const t of TABLES) {
    const future = KEY_DATE[t] ? env.data[t].filter((r, i) => !rejected.has(`${t}#${i}`) && parseTs(r[KEY_DATE[t]]) > asOf).length : 0;
    assert.equal(manifest.future[t], future, `future ${t}`);
    const n = manifest.input[t];
    assert.equal(n.received, env.data[t].length);
    assert.equal(n.received, n.used + n.rejected + n.future);
  }
  assert.ok(manifest.future.orders > 0 && manifest.future.contacts > 0 && manifest.future.feedback > 0);
});

test('CSV files mirror the JSON tables', () => {
  for (const t of TABLES) {
    const rows = parseCsv(fs.readFileSync(path.join(a, 'csv', `${t}.csv`), 'utf8'));
    assert.deepEqual(rows[0], FIELDS[t]);
    assert.equal(rows.length - 1, env.data[t].length, t);
    rows.slice(1).forEach((cells, i) => {
      const r = env.data[t][i];
      FIELDS[t].forEach((f, j) => {
        const v = r[f];
        const want = v === undefined || v === null ? '' : Array.isArray(v) ? v.join('|') : String(v);
        assert.equal(cells[j], want, `${t}[${i}].${f}`);
      });
    });
  }
});

test('big mode streams a parseable export', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tend-big-'));
  const out = path.join(dir, 'big.json');
  execFileSync(process.execPath, [GEN, '--customers', '300', '--rows', '6000', '--out', out], { stdio: 'pipe' });
  const big = JSON.parse(fs.readFileSync(out, 'utf8'));
  assert.equal(big.asOf, env.asOf);
  assert.deepEqual(Object.keys(big.data), TABLES);
  assert.equal(TABLES.reduce((s, t) => s + big.data[t].length, 0), 6000);
  const ids = new Set(big.data.customers.map((r) => r.id));
  assert.equal(ids.size, 300);
  for (const t of TABLES.slice(1)) for (const r of big.data[t]) assert.ok(ids.has(r.customerId));
  assert.ok(!fs.existsSync(path.join(dir, 'planted.json')));
});
