// Shared by the node:test suites over the built package (run `make build` first).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PKG = path.join(ROOT, 'pkg');
export const CLI = path.join(PKG, 'cli.js');
export const SAMPLE = path.join(ROOT, 'www/sample/export.json');
export const AS_OF = '2026-11-26T09:30:00Z';

/** A small export with one flag of each easy kind, a bad row and a future row. */
export function smallExport() {
  return {
    customers: [
      { id: 'c1', name: 'Acme Ltd', owner: 'Alice', createdAt: '2025-01-10' },
      { id: 2, name: 'Beta <b>GmbH</b>', owner: 'Bob' },
      { id: 'c3', name: 'Gamma', owner: 'Alice' },
    ],
    contacts: [
      { id: 'k1', customerId: 'c1', at: '2026-11-19T09:30:00Z', direction: 'inbound', channel: 'call', status: 'missed' },
      { id: 'k2', customerId: 2, at: '2026-11-24T10:00:00+01:00', direction: 'outbound', channel: 'email' },
      { id: 'k3', customerId: 'c3', at: '2026-11-02T08:00:00Z', direction: 'inbound', channel: 'email' },
    ],
    orders: [
      { id: 'o1', customerId: 'c1', at: '2026-10-01', amount: 120.5 },
      { id: 'o2', customerId: 'nobody', at: '2026-10-01', amount: 3 },
      { id: 'o3', customerId: 2, at: '2027-01-01', amount: 10 },
    ],
    promises: [{ id: 'p1', customerId: 2, madeAt: '2026-11-02', dueAt: '2026-11-10', owner: 'Carla', text: 'Send the quote' }],
    feedback: [{ id: 'f1', customerId: 2, at: '2026-11-02', kind: 'nps', score: 4 }],
    snoozes: [{ customerId: 'c3', until: '2026-12-24', reason: 'champion on holiday' }],
  };
}

/** Run a node script or the CLI in a child process. */
export function node(args, opts = {}) {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** Every value reachable in a report: no undefined, no NaN or Infinity, only plain objects. */
export function assertPlainJson(v, where = 'report') {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${where} is ${v}`);
    return;
  }
  if (Array.isArray(v)) {
    v.forEach((x, i) => assertPlainJson(x, `${where}[${i}]`));
    return;
  }
  if (typeof v === 'object') {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`${where} is a ${v.constructor?.name}, not a plain object`);
    for (const [k, x] of Object.entries(v)) assertPlainJson(x, `${where}.${k}`);
    return;
  }
  throw new Error(`${where} is ${typeof v}`);
}
