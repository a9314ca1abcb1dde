// The inputs `make bench` measures, made when missing (all deterministic):
//
//   bench/big.json     100,000 customers and 3,640,000 rows over every table (tools/gen-sample.mjs
//                      big mode), about 450 MB of JSON
//   bench/big-csv/     the same records as one CSV per table (headers = the contract's fields)
//   bench/orders.json  an orders-only export: the CDNOW sample (tests/data/CDNOW_sample.txt,
//                      2,357 customers, 6,919 purchases) copied ten times under new ids with the
//                      dates moved to end just before asOf: 23,570 customers and 69,190 orders,
//                      the size of the full CDNOW cohort
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIG = path.join(ROOT, 'bench/big.json');
export const BIG_CSV = path.join(ROOT, 'bench/big-csv');
export const ORDERS = path.join(ROOT, 'bench/orders.json');

const log = (s) => process.stderr.write(`bench: ${s}\n`);

export function ensureBig() {
  if (existsSync(BIG)) return;
  log('generating bench/big.json (100,000 customers, 3,640,000 rows)');
  execFileSync(process.execPath, [path.join(ROOT, 'tools/gen-sample.mjs'), '--customers', '100000', '--rows', '3640000', '--out', BIG], { stdio: 'inherit' });
}

// One CSV per table from bench/big.json, written in chunks.
export async function ensureBigCsv() {
  ensureBig();
  if (existsSync(path.join(BIG_CSV, 'snoozes.csv'))) return;
  log('writing bench/big-csv/*.csv from bench/big.json');
  const { FIELDS, TABLES } = await import(path.join(ROOT, 'tools/gen-sample.mjs'));
  const env = JSON.parse(readFileSync(BIG, 'utf8'));
  mkdirSync(BIG_CSV, { recursive: true });
  const cell = (v) => {
    if (v === undefined || v === null) return '';
    const s = Array.isArray(v) ? v.join('|') : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  for (const t of TABLES) {
    const fd = openSync(path.join(BIG_CSV, `${t}.csv`), 'w');
    const fields = FIELDS[t];
    let chunk = [fields.join(',')];
    for (const r of env.data[t] ?? []) {
      chunk.push(fields.map((f) => cell(r[f])).join(','));
      if (chunk.length >= 20000) {
        writeSync(fd, chunk.join('\r\n') + '\r\n');
        chunk = [];
      }
    }
    if (chunk.length) writeSync(fd, chunk.join('\r\n') + '\r\n');
    closeSync(fd);
  }
}

export const ORDERS_AS_OF = '2026-11-20T17:00:00Z';

// CDNOW ×10 as an orders-only envelope.
export function ensureOrders() {
  if (existsSync(ORDERS)) return;
  const lines = readFileSync(path.join(ROOT, 'tests/data/CDNOW_sample.txt'), 'utf8').split('\n').filter((l) => l.trim());
  const rows = lines.map((l) => {
    const [, id, date, , dollars] = l.trim().split(/\s+/);
    return { id, day: Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8)), dollars: Number(dollars) };
  });
  const last = Math.max(...rows.map((r) => r.day));
  const shift = Date.parse('2026-11-15T00:00:00Z') - last;
  const customers = [];
  const orders = [];
  const ids = [...new Set(rows.map((r) => r.id))];
  for (let copy = 0; copy < 10; copy++) {
    for (const id of ids) customers.push({ id: `K${copy}-${id}` });
    rows.forEach((r, i) => {
      const at = new Date(r.day + shift + ((copy * 7 + i) % 600) * 60000).toISOString().replace('.000Z', 'Z');
      orders.push({ id: `O${copy}-${i}`, customerId: `K${copy}-${r.id}`, at, amount: r.dollars });
    });
  }
  writeFileSync(ORDERS, JSON.stringify({ asOf: ORDERS_AS_OF, data: { customers, orders } }));
  log(`wrote bench/orders.json: ${customers.length} customers, ${orders.length} orders`);
}
