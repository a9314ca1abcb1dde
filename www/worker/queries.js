// The worker's answers, one per request type of protocol.js: pages of the engine's lists, one
// customer, the state changes, the rejected rows placed in their files, the worklist as CSV.
import { csvLine, kindLabel } from '../shared.js';
import { ready, loaded, progress, load, summary, summaryOf, current } from './state.js';
import { facets } from './facets.js';

// A page of the worklist or the customers list; an offset past the end gives the last page.
function page(list, q) {
  const limit = q.limit ?? 50;
  let res = list(q);
  let offset = q.offset ?? 0;
  if (offset && offset >= res.total) {
    offset = res.total ? Math.floor((res.total - 1) / limit) * limit : 0;
    res = list({ ...q, offset });
  }
  return { total: res.total, items: res.items, offset, limit };
}

// The worklist page, with the customers the search matches (one can be opened without actions).
function worklist(q) {
  const e = current();
  const out = page((x) => e.worklist(x), q);
  if (q.search) {
    const m = e.customers({ search: q.search, sort: 'name:asc', limit: 8 });
    out.customers = m.items.map((c) => ({ id: c.id, name: c.name }));
    out.customerMatches = m.total;
  }
  return out;
}

// Where a rejected row is: its file, and its CSV line and column or its position in its table.
function place(r) {
  const { src } = loaded;
  const at = r.update ? `update ${r.update}, ` : '';
  if (src.kind === 'csv' && !r.update) {
    const where = r.line != null ? `line ${r.line}${r.column != null ? `, column ${r.column}` : ''}` : `row ${r.index + 1}`;
    return { ...r, file: src.tables[r.table] ?? `${r.table}.csv`, where };
  }
  return { ...r, file: r.update ? 'update' : src.name, where: `${at}${r.table}[${r.index}]` };
}

function rejected({ offset = 0, limit = 50 }) {
  const res = current().rejected({ offset, limit });
  return { total: res.total, items: res.items.map(place), offset, limit };
}

function customer(id) {
  const e = current();
  const c = e.customer(id);
  if (!c) return { customer: null };
  const names = {};
  for (const x of [...c.exposure, c.referredBy].filter(Boolean).slice(0, 50)) names[x] = e.customer(x)?.name ?? null;
  return { customer: c, records: e.records(id), names, asOf: summaryOf().asOf, timezone: loaded.policy.timezone };
}

// The drivers whose events hit one customer (null when the engine cannot say it yet).
function customerDrivers(id) {
  const e = current();
  if (typeof e.driversOf !== 'function') return { drivers: null };
  try {
    return { drivers: e.driversOf(id) };
  } catch (err) {
    if (err instanceof TypeError) return { drivers: null }; // a package older than its wrapper
    throw err;
  }
}

// A page of the state changes (7 or 30 days), ranked by value; the engine pages them itself.
function changes(q = {}) {
  const days = q.days === 30 ? 30 : 7;
  const res = current().changes({ days, offset: q.offset ?? 0, limit: q.limit ?? 50 });
  return { days: res.days, entered: res.entered, total: res.total, items: res.items, offset: q.offset ?? 0 };
}

const EXPORT_HEAD = ['rank', 'customerId', 'customerName', 'owner', 'kind', 'action', 'message', 'severity', 'overdueBusinessDays', 'uplift', 'priority', 'evidenceTable', 'evidenceId', 'tier', 'healthBand', 'health', 'risk'];

// The worklist of this query as CSV, paged through the engine 10,000 actions at a time; `rank`
// is the position in the exported order.
function exportCsv(q) {
  const e = current();
  const enc = new TextEncoder();
  const parts = [enc.encode(csvLine(EXPORT_HEAD))];
  const limit = 10_000;
  for (let offset = 0; ; offset += limit) {
    const { total, items } = e.worklist({ ...q, offset, limit });
    const lines = items.map((r, i) =>
      csvLine([offset + i + 1, r.customerId, r.customerName, r.owner, r.kind, kindLabel(r.kind), r.message, r.severity, r.overdue, r.uplift, r.priority, r.evidence?.table ?? null, r.evidence?.id ?? null, r.tier, r.band, r.health, r.risk]),
    );
    parts.push(enc.encode(lines.join('')));
    progress('export', 'Exporting the worklist', Math.min(total, offset + limit), total);
    if (offset + limit >= total) break;
  }
  return { blob: new Blob(parts, { type: 'text/csv;charset=utf-8' }) };
}

/** The handler of each request type: its answer, the fields of the reply. */
export const HANDLERS = {
  warm: () => ready.then(() => ({})),
  load: (msg) => load(msg).then((loaded) => ({ loaded })),
  summary: () => ({ summary: summary() }),
  worklist: (msg) => worklist(msg.q),
  customers: (msg) => page((x) => current().customers(x), msg.q),
  customer: (msg) => customer(msg.customerId),
  history: (msg) => ({ history: current().history(msg.customerId, { weeks: msg.weeks ?? 26 }) }),
  customerDrivers: (msg) => customerDrivers(msg.customerId),
  changes: (msg) => changes(msg.q),
  drivers: () => ({ drivers: current().drivers() }),
  rejected: (msg) => rejected(msg),
  export: (msg) => exportCsv(msg.q),
  facets: () => facets(current()),
};
