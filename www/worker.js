// The analysis worker (a module Web Worker). It holds one Tend engine: it reads the chosen files
// itself (the page passes File handles, never their contents) and loads their bytes into the
// engine — a JSON export as it is, a CSV set as one file per table, both parsed inside
// WebAssembly. The page then asks for what it shows, and gets only that: the summary, a page of
// the worklist, of the customers list or of the rejected rows, one customer, the worklist as a
// CSV Blob. The report is never built.
//
// Messages in:  {type, id, ...}: load {source, options} · summary · worklist {q} · customers {q} ·
//               customer {customerId} · history {customerId, weeks} · customerDrivers {customerId} ·
//               changes {q} · drivers · rejected {offset, limit} · export {q} · facets · warm
// Messages out: {type:'progress', stage, label, loaded?, total?} · {type:'reply', id, ...} ·
//               {type:'error', id, error:{message, file?, line?, column?, code?, path?}}
import { init, Tend, isTendError, version } from '../pkg/core.js';
import { readFile, readUrl, PageError } from './read.js';
import { envelopePolicy } from './envelope.js';
import { facets } from './facets.js';
import { TABLES, csvLine, kindLabel } from './shared.js';

// Compile the module at once, while the first file is being read.
const ready = init();
ready.catch(() => {});

let engine = null; // the Tend engine of the last load
let loaded = null; // what the answers need of that load: its source (table → file), its policy, its summary

let lastProgress = 0;
function progress(stage, label, loaded = null, total = null, force = false) {
  const now = performance.now();
  if (!force && now - lastProgress < 60) return;
  lastProgress = now;
  self.postMessage({ type: 'progress', stage, label, loaded, total });
}

// ─────────────────────────────── loading ───────────────────────────────

// The source as Tend.load takes it, and what to name its files by.
async function readSource(source) {
  const src = { kind: source.kind, name: source.name, files: [], bytes: 0, tables: {} };
  if (source.kind === 'url' || source.kind === 'json') {
    const bytes = source.kind === 'url' ? await readUrl(source.url, source.name, progress) : await readFile(source.file, progress);
    src.files = [source.name];
    src.bytes = bytes.length;
    return { src, input: bytes };
  }
  if (source.kind !== 'csv') throw new PageError(`unknown source ${source.kind}`);
  const seen = {};
  for (const { file, table } of source.files) {
    if (!TABLES[table]) throw new PageError(`${file.name}: choose which table this file holds`, { file: file.name });
    if (seen[table]) throw new PageError(`${seen[table]} and ${file.name} are both for the ${table} table: give one file per table`, { file: file.name });
    seen[table] = file.name;
  }
  if (!seen.customers) throw new PageError('No customers file: a CSV set needs customers.csv (id, name, owner, …) besides the other tables', {});
  const csv = {};
  for (const { file, table } of source.files) {
    csv[table] = await readFile(file, progress);
    src.bytes += csv[table].length;
    src.tables[table] = file.name;
    src.files.push(file.name);
  }
  return { src, input: { csv } };
}

// A TendError of the load, named by its file (`data…` is the JSON file, `csv.<table>` a CSV one).
function loadError(e, src) {
  if (!isTendError(e)) return e;
  const table = /^csv\.(\w+)/.exec(e.path)?.[1];
  const file = e.path.startsWith('options') ? null : table ? (src.tables[table] ?? null) : src.kind === 'csv' ? null : src.name;
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  return new PageError(file ? `${file}: ${e.message}` : e.message, {
    file,
    code: e.code,
    path: e.path,
    line: lc ? Number(lc[1]) : null,
    column: lc ? Number(lc[2]) : null,
  });
}

// The policy in force with the defaults filled in, as the engine completes it: the summary does
// not carry it, so an engine over no customers is loaded with the same policy to read it.
function policyInForce(policy, asOf) {
  const probe = Tend.load({ customers: [] }, { ...(asOf ? { asOf } : {}), ...(policy ? { policy } : {}) });
  try {
    return probe.report().policy;
  } finally {
    probe.free();
  }
}

// The summary the page renders: the engine's, with the totals the page shows and the load's facts.
function pageSummary(s, src, policy, summaryMs) {
  let openFlags = 0;
  let snoozedFlags = 0;
  const flagKinds = {};
  for (const o of s.owners) {
    snoozedFlags += o.snoozedFlags;
    for (const [k, n] of Object.entries(o.openFlags)) {
      openFlags += n;
      flagKinds[k] = (flagKinds[k] ?? 0) + n;
    }
  }
  const { rejected, warnings, ...tables } = s.input;
  return {
    source: { kind: src.kind, name: src.name, files: src.files, bytes: src.bytes, tables: src.tables },
    version: version(),
    asOf: s.asOf,
    policy,
    customers: s.customers,
    actions: s.actions,
    counts: s.portfolio.counts,
    valueAtRisk: s.portfolio.valueAtRisk,
    daily: s.portfolio.daily,
    owners: s.owners,
    models: s.models,
    input: tables,
    rejectedTotal: rejected,
    warningsTotal: warnings,
    openFlags,
    snoozedFlags,
    flagKinds,
    timings: { ...loaded.timings, summaryMs, totalMs: loaded.timings.totalMs + summaryMs },
  };
}

// The engine's summary of the load (computed once).
function summaryOf() {
  if (!loaded.summary) {
    const t0 = performance.now();
    const s = current().summary();
    loaded.summaryMs = performance.now() - t0;
    loaded.summary = s;
  }
  return loaded.summary;
}

function summary() {
  const s = summaryOf();
  return pageSummary(s, loaded.src, s.policy ?? loaded.policy, loaded.summaryMs);
}

async function load({ source, options = {} }) {
  engine?.free();
  engine = null;
  loaded = null;
  const t0 = performance.now();
  let { src, input } = await readSource(source);
  const readMs = performance.now() - t0;
  progress('analyze', 'Parsing, validating and scoring in WebAssembly', null, null, true);
  await ready;
  const t1 = performance.now();
  try {
    engine = Tend.load(input, options);
  } catch (e) {
    throw loadError(e, src);
  }
  const loadMs = performance.now() - t1;
  const given = options.policy ?? (input instanceof Uint8Array ? envelopePolicy(input) : null);
  input = null; // the bytes are the engine's now
  const timings = { readMs, loadMs, totalMs: performance.now() - t0 };
  loaded = { src, policy: policyInForce(given, options.asOf), timings, summary: null, summaryMs: 0 };
  return { source: { kind: src.kind, name: src.name, bytes: src.bytes }, timings };
}

// ─────────────────────────────── answers ───────────────────────────────

function current() {
  if (!engine) throw new PageError('No data is loaded');
  return engine;
}

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

// ─────────────────────────────── messages ───────────────────────────────

function errorOf(e) {
  if (e instanceof PageError) return { message: e.message, ...e.details };
  if (isTendError(e)) return { message: e.message, code: e.code, path: e.path };
  if (e instanceof RangeError || /memory/i.test(String(e?.message))) {
    return { message: `Out of memory in the analysis worker (${e.message}). Try a smaller export.` };
  }
  return { message: String(e?.message ?? e) };
}

const OPS = {
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

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const op = OPS[msg.type];
    if (!op) throw new PageError(`unknown message ${msg.type}`);
    const out = await op(msg);
    self.postMessage({ type: 'reply', id: msg.id, ...out });
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, error: errorOf(e) });
  }
};
