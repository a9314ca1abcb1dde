// The analysis worker (a module Web Worker). It reads the chosen files itself (the page passes
// File handles, never their contents), parses CSV with Papa Parse, calls Tend's WebAssembly
// core with the bytes of a JSON file (so JSON is parsed inside wasm), and keeps the report and
// the input rows here. The page asks for what it shows: a summary, one page of the worklist,
// one customer with its rows, the worklist as CSV bytes (transferred, not copied).
//
// Messages in:  {type:'run', id, source, options} · {type:'query', id, q} ·
//               {type:'customer', id, customerId} · {type:'export', id, q} · {type:'warm'}
// Messages out: {type:'progress', stage, loaded?, total?, label} · {type:'result', id, summary} ·
//               {type:'page', id, ...} · {type:'customer', id, ...} · {type:'export', id, bytes} ·
//               {type:'error', id, error:{message, file?, line?, field?, code?, path?}}
import { init, analyzeTimed, isTendError, version } from '../pkg/core.js';
import {
  TABLES,
  TABLE_NAMES,
  TIME_FIELD,
  NEGLECT_KINDS,
  KIND_LABELS,
  SEVERITIES,
  RISKS,
  BANDS,
  TIERS,
  csvLine,
  kindLabel,
} from './shared.js';

// Compile the module at once, while the first file is being read.
const ready = init();
ready.catch(() => {});

let state = null;

class PageError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.details = details;
  }
}

// ─────────────────────────────── progress ───────────────────────────────

let lastProgress = 0;
function progress(stage, label, loaded = null, total = null, force = false) {
  const now = performance.now();
  if (!force && now - lastProgress < 60) return;
  lastProgress = now;
  self.postMessage({ type: 'progress', stage, label, loaded, total });
}

// Read a stream into one Uint8Array, reporting progress. `total` may be unknown (null).
async function readStream(stream, total, label) {
  const reader = stream.getReader();
  let buf = total != null ? new Uint8Array(total) : null;
  const chunks = [];
  let loaded = 0;
  progress('read', label, 0, total, true);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buf && loaded + value.length <= buf.length) buf.set(value, loaded);
    else {
      if (buf) {
        chunks.push(buf.subarray(0, loaded));
        buf = null;
      }
      chunks.push(value);
    }
    loaded += value.length;
    progress('read', label, loaded, total);
  }
  progress('read', label, loaded, total ?? loaded, true);
  if (buf) return loaded === buf.length ? buf : buf.subarray(0, loaded);
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

async function readFile(file) {
  try {
    return await readStream(file.stream(), file.size, `Reading ${file.name}`);
  } catch (e) {
    throw new PageError(`${file.name}: the file cannot be read (${e.message})`, { file: file.name });
  }
}

async function readUrl(url, name) {
  const res = await fetch(url);
  if (!res.ok) throw new PageError(`${name}: cannot be loaded (HTTP ${res.status})`, { file: name });
  const len = Number(res.headers.get('content-length'));
  return readStream(res.body, Number.isFinite(len) && len > 0 && !res.headers.get('content-encoding') ? len : null, `Loading ${name}`);
}

// ─────────────────────────────── CSV ───────────────────────────────

let papa = null;
// Papa Parse ships as a UMD script; a module worker has no importScripts, so it is imported as a
// module and registers itself through the AMD `define` branch of its wrapper.
async function loadPapa() {
  if (papa) return papa;
  const g = globalThis;
  let got = null;
  const define = (deps, factory) => {
    got = factory();
  };
  define.amd = true;
  g.define = define;
  try {
    await import('./vendor/papaparse.min.js');
  } finally {
    delete g.define;
  }
  if (!got || typeof got.parse !== 'function') throw new PageError('the CSV library (vendor/papaparse.min.js) did not load: run scripts/www.sh');
  papa = got;
  return papa;
}

// Parse one table's CSV text into rows for the core. Empty cells are left out (absent), numbers
// stay strings (the core reads numeric strings for amounts and scores), `snoozes.kinds` is
// `|`-separated. Returns { rows, lines } where lines[i] is the line number of row i.
function parseCsv(Papa, text, table, fileName) {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const spec = TABLES[table];
  let header = null;
  const rows = [];
  const lines = [];
  const errors = [];
  let line = 1; // line number at `pos`
  let pos = 0;
  const countTo = (end) => {
    for (let i = text.indexOf('\n', pos); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
    pos = end;
  };
  const rowStart = () => {
    // Skip the blank lines before a row.
    while (pos < text.length && (text[pos] === '\n' || text[pos] === '\r')) {
      if (text[pos] === '\n') line++;
      pos++;
    }
    return line;
  };
  const len = text.length;
  let n = 0;
  Papa.parse(text, {
    header: false,
    skipEmptyLines: 'greedy',
    step(res, parser) {
      const startLine = rowStart();
      countTo(Math.max(pos, res.meta.cursor));
      for (const e of res.errors) {
        errors.push({ line: startLine, message: e.message });
      }
      const cells = res.data;
      if (header === null) {
        header = cells.map((h) => String(h).trim());
        const missing = spec.required.filter((f) => !header.includes(f));
        if (missing.length) {
          errors.push({
            line: startLine,
            field: missing[0],
            message: `the header has no ${missing.map((f) => `\`${f}\``).join(', ')} column (a ${table} file needs ${spec.required.join(', ')}; it may have ${spec.fields.join(', ')})`,
          });
          parser.abort();
        }
        return;
      }
      if (cells.length !== header.length) {
        errors.push({ line: startLine, message: `${cells.length} fields where the header has ${header.length}` });
      }
      if (errors.length >= 20) {
        parser.abort();
        return;
      }
      const row = {};
      for (let i = 0; i < header.length && i < cells.length; i++) {
        const v = cells[i];
        if (v === '' || v == null) continue;
        const key = header[i];
        if (key === 'kinds' && table === 'snoozes') {
          row.kinds = v
            .split('|')
            .map((s) => s.trim())
            .filter(Boolean);
        } else row[key] = v;
      }
      rows.push(row);
      lines.push(startLine);
      if ((++n & 4095) === 0) progress('parse', `Parsing ${fileName}`, res.meta.cursor, len);
    },
  });
  if (header === null && !errors.length) errors.push({ line: 1, message: 'the file is empty: a header row is needed' });
  if (errors.length) {
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : '';
    throw new PageError(`${fileName}, line ${first.line}${first.field ? `, field ${first.field}` : ''}: ${first.message}${more}`, {
      file: fileName,
      line: first.line,
      field: first.field ?? null,
      list: errors.slice(0, 20).map((e) => `${fileName}, line ${e.line}: ${e.message}`),
    });
  }
  progress('parse', `Parsing ${fileName}`, len, len, true);
  return { rows, lines };
}

// ─────────────────────────────── the rows of one customer ───────────────────────────────

// customerId → [{table, index, row}], built from parsed rows.
function indexRows(data) {
  const index = new Map();
  for (const table of TABLE_NAMES) {
    const rows = data?.[table];
    if (!Array.isArray(rows)) continue;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row === null || typeof row !== 'object' || Array.isArray(row)) continue;
      const key = table === 'customers' ? row.id : row.customerId;
      if (key === undefined || key === null) continue;
      const k = String(key);
      let list = index.get(k);
      if (!list) index.set(k, (list = []));
      list.push({ table, index: i, row });
    }
  }
  return index;
}

// For a JSON file the rows are parsed in JavaScript only when a customer is first opened.
function rowIndex() {
  if (state.rows) return state.rows;
  if (!state.bytes) return (state.rows = new Map());
  let top;
  try {
    top = JSON.parse(new TextDecoder().decode(state.bytes));
  } catch {
    return (state.rows = new Map());
  }
  const data = top && typeof top === 'object' && top.data && typeof top.data === 'object' ? top.data : top;
  state.rows = indexRows(data);
  return state.rows;
}

// ─────────────────────────────── summary and the worklist index ───────────────────────────────

const KIND_LIST = [...NEGLECT_KINDS, ...Object.keys(KIND_LABELS).filter((k) => !NEGLECT_KINDS.includes(k))];

function locate(src, r) {
  if (src.kind === 'csv') {
    const f = src.tables[r.table];
    const line = f?.lines?.[r.index];
    return { file: f?.name ?? `${r.table}.csv`, where: line ? `line ${line}` : `row ${r.index + 1}`, line: line ?? null };
  }
  return { file: src.name, where: `${r.table}[${r.index}]`, line: null };
}

function buildState(report, timings, src, bytes, csvData) {
  const customers = report.customers;
  const nC = customers.length;
  const byId = new Map();
  const cTier = new Uint8Array(nC);
  const cBand = new Uint8Array(nC);
  const cRisk = new Uint8Array(nC);
  const cHealth = new Float64Array(nC);
  const cText = new Array(nC);
  const cName = new Array(nC);
  let openFlags = 0;
  let snoozedFlags = 0;
  const flagKinds = {};
  const hist = new Array(10).fill(0);
  const histBand = new Array(10).fill(null).map(() => ({ red: 0, amber: 0, green: 0 }));
  const tierRisk = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries(RISKS.map((r) => [r, 0]))]));
  for (let i = 0; i < nC; i++) {
    const c = customers[i];
    byId.set(c.id, i);
    cTier[i] = Math.max(0, TIERS.indexOf(c.value?.tier));
    cBand[i] = Math.max(0, BANDS.indexOf(c.health?.band));
    cRisk[i] = Math.max(0, RISKS.indexOf(c.risk?.level));
    cHealth[i] = c.health?.score ?? NaN;
    cName[i] = c.name ?? '';
    cText[i] = `${c.id}\u0000${c.name ?? ''}`.toLowerCase();
    for (const f of c.neglect) {
      if (f.snoozed) snoozedFlags++;
      else {
        openFlags++;
        flagKinds[f.kind] = (flagKinds[f.kind] ?? 0) + 1;
      }
    }
    const s = c.health?.score;
    if (typeof s === 'number') {
      const b = Math.min(9, Math.max(0, Math.floor(s / 10)));
      hist[b]++;
      histBand[b][c.health.band]++;
    }
    const t = c.value?.tier;
    const r = c.risk?.level;
    if (tierRisk[t] && r in tierRisk[t]) tierRisk[t][r]++;
  }
  // Collation ranks, so that sorting by name or owner is a numeric comparison.
  const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });
  const nameOrder = Array.from({ length: nC }, (_, i) => i).sort((a, b) => collator.compare(cName[a], cName[b]) || (customers[a].id < customers[b].id ? -1 : 1));
  const cNameRank = new Uint32Array(nC);
  nameOrder.forEach((c, r) => (cNameRank[c] = r));

  const wl = report.worklist;
  const n = wl.length;
  const custIdx = new Int32Array(n);
  const kind = new Uint8Array(n);
  const owner = new Int32Array(n);
  const sev = new Uint8Array(n);
  const overdue = new Float64Array(n);
  const uplift = new Float64Array(n);
  const prio = new Float64Array(n);
  const ownerCodes = new Map();
  const ownerNames = [];
  const kindCounts = {};
  for (let i = 0; i < n; i++) {
    const w = wl[i];
    custIdx[i] = byId.get(w.customerId) ?? -1;
    let k = KIND_LIST.indexOf(w.kind);
    if (k < 0) {
      KIND_LIST.push(w.kind);
      k = KIND_LIST.length - 1;
    }
    kind[i] = k;
    kindCounts[w.kind] = (kindCounts[w.kind] ?? 0) + 1;
    const o = w.owner ?? null;
    let oc = o === null ? -1 : ownerCodes.get(o);
    if (oc === undefined) {
      oc = ownerNames.length;
      ownerCodes.set(o, oc);
      ownerNames.push(o);
    }
    owner[i] = oc;
    sev[i] = Math.max(0, SEVERITIES.indexOf(w.severity));
    overdue[i] = w.overdue ?? NaN;
    uplift[i] = w.uplift ?? NaN;
    prio[i] = w.priority ?? NaN;
  }
  const ownerRank = new Int32Array(ownerNames.length);
  ownerNames
    .map((_, i) => i)
    .sort((a, b) => collator.compare(ownerNames[a], ownerNames[b]))
    .forEach((o, r) => (ownerRank[o] = r));
  const kindRank = KIND_LIST.map((k) => kindLabel(k));
  const kindOrder = new Int32Array(KIND_LIST.length);
  KIND_LIST.map((_, i) => i)
    .sort((a, b) => collator.compare(kindRank[a], kindRank[b]))
    .forEach((k, r) => (kindOrder[k] = r));

  state = {
    report,
    src,
    bytes,
    rows: csvData ? indexRows(csvData) : null,
    byId,
    c: { tier: cTier, band: cBand, risk: cRisk, health: cHealth, text: cText, nameRank: cNameRank },
    w: { custIdx, kind, owner, sev, overdue, uplift, prio, ownerNames, ownerRank, kindOrder },
    cache: new Map(),
  };

  const rejected = report.input.rejected;
  const warnings = report.input.warnings ?? [];
  const withPlace = (r) => ({ ...r, ...locate(src, r) });
  const daily = report.portfolio.daily;
  return {
    source: { kind: src.kind, name: src.name, files: src.files, bytes: src.bytes },
    version: version(),
    asOf: report.asOf,
    policy: report.policy,
    customers: nC,
    risk: report.portfolio.counts.risk,
    counts: report.portfolio.counts,
    valueAtRisk: report.portfolio.valueAtRisk,
    openFlags,
    snoozedFlags,
    flagKinds,
    daily,
    hist,
    histBand,
    tierRisk,
    owners: report.owners,
    input: Object.fromEntries(TABLE_NAMES.map((t) => [t, report.input[t]])),
    rejected: rejected.slice(0, 1000).map(withPlace),
    rejectedTotal: rejected.length,
    warnings: warnings.slice(0, 200).map(withPlace),
    warningsTotal: warnings.length,
    models: report.models,
    worklistTotal: n,
    kindCounts,
    itemOwners: ownerNames.slice().sort((a, b) => collator.compare(a, b)),
    itemOwnerless: owner.includes(-1),
    timings,
  };
}

// ─────────────────────────────── worklist queries ───────────────────────────────

const NONE = '\u0000none';

function filtered(q) {
  const key = JSON.stringify([q.search ?? '', q.owner ?? '', q.tier ?? '', q.band ?? '', q.risk ?? '', q.kind ?? '', q.customer ?? '', q.sort ?? 'rank', q.dir ?? '']);
  const hit = state.cache.get(key);
  if (hit) return hit;
  const { w, c } = state;
  const n = w.custIdx.length;
  const search = (q.search ?? '').trim().toLowerCase();
  const ownerCode = !q.owner ? null : q.owner === NONE ? -1 : w.ownerNames.indexOf(q.owner);
  const tier = q.tier ? TIERS.indexOf(q.tier) : -1;
  const band = q.band ? BANDS.indexOf(q.band) : -1;
  const risk = q.risk ? RISKS.indexOf(q.risk) : -1;
  const kind = q.kind ? KIND_LIST.indexOf(q.kind) : -1;
  const out = new Uint32Array(n);
  let m = 0;
  const unknownOwner = q.owner && q.owner !== NONE && ownerCode < 0;
  if (!unknownOwner && !(q.kind && kind < 0)) {
    for (let i = 0; i < n; i++) {
      if (ownerCode !== null && w.owner[i] !== ownerCode) continue;
      if (kind >= 0 && w.kind[i] !== kind) continue;
      const ci = w.custIdx[i];
      if (tier >= 0 && c.tier[ci] !== tier) continue;
      if (band >= 0 && c.band[ci] !== band) continue;
      if (risk >= 0 && c.risk[ci] !== risk) continue;
      if (search && !c.text[ci].includes(search)) continue;
      out[m++] = i;
    }
  }
  const idx = out.slice(0, m);
  const sort = q.sort ?? 'rank';
  const sign = q.dir === 'desc' ? -1 : 1;
  const num = (arr) => (a, b) => {
    const x = arr[a];
    const y = arr[b];
    const nx = Number.isNaN(x);
    const ny = Number.isNaN(y);
    if (nx || ny) return nx && ny ? a - b : nx ? 1 : -1; // empty values last either way
    return (x - y) * sign || a - b;
  };
  const byCust = (arr) => (a, b) => (arr[w.custIdx[a]] - arr[w.custIdx[b]]) * sign || a - b;
  const cmp = {
    rank: (a, b) => (a - b) * sign,
    priority: num(w.prio),
    uplift: num(w.uplift),
    overdue: num(w.overdue),
    severity: (a, b) => (w.sev[a] - w.sev[b]) * sign || a - b,
    kind: (a, b) => (w.kindOrder[w.kind[a]] - w.kindOrder[w.kind[b]]) * sign || a - b,
    owner: (a, b) => {
      const x = w.owner[a] < 0 ? Infinity : w.ownerRank[w.owner[a]];
      const y = w.owner[b] < 0 ? Infinity : w.ownerRank[w.owner[b]];
      return x === y ? a - b : (x < y ? -1 : 1) * sign;
    },
    customer: byCust(c.nameRank),
    health: byCust(c.health),
    risk: byCust(c.risk),
    tier: byCust(c.tier),
  }[sort];
  if (cmp && !(sort === 'rank' && sign === 1)) idx.sort(cmp);
  if (state.cache.size > 20) state.cache.clear();
  state.cache.set(key, idx);
  return idx;
}

function itemRow(i) {
  const wi = state.report.worklist[i];
  const ci = state.w.custIdx[i];
  const c = ci >= 0 ? state.report.customers[ci] : null;
  return {
    rank: i + 1,
    customerId: wi.customerId,
    customerName: wi.customerName ?? c?.name ?? null,
    owner: wi.owner ?? null,
    kind: wi.kind,
    message: wi.message,
    evidence: wi.evidence,
    severity: wi.severity,
    overdue: wi.overdue,
    uplift: wi.uplift,
    priority: wi.priority,
    tier: c?.value?.tier ?? null,
    band: c?.health?.band ?? null,
    health: c?.health?.score ?? null,
    risk: c?.risk?.level ?? null,
  };
}

function query(q) {
  const idx = filtered(q);
  const limit = Math.max(1, Math.min(500, q.limit ?? 50));
  const offset = Math.max(0, Math.min(q.offset ?? 0, Math.max(0, idx.length - 1)));
  const rows = [];
  for (let j = offset; j < Math.min(idx.length, offset + limit); j++) rows.push(itemRow(idx[j]));
  // Customers matching the search, actions or not (a customer with none can be opened too).
  const customers = [];
  const search = (q.search ?? '').trim().toLowerCase();
  let matches = 0;
  if (search) {
    const text = state.c.text;
    for (let i = 0; i < text.length; i++) {
      if (!text[i].includes(search)) continue;
      if (matches++ < 8) customers.push({ id: state.report.customers[i].id, name: state.report.customers[i].name });
    }
  }
  return { rows, total: idx.length, offset, limit, customers, customerMatches: matches };
}

function exportCsv(q) {
  const idx = filtered(q);
  const head = ['rank', 'customerId', 'customerName', 'owner', 'kind', 'action', 'message', 'severity', 'overdueBusinessDays', 'uplift', 'priority', 'evidenceTable', 'evidenceId', 'tier', 'healthBand', 'health', 'risk'];
  const parts = [csvLine(head)];
  for (let j = 0; j < idx.length; j++) {
    const r = itemRow(idx[j]);
    parts.push(
      csvLine([r.rank, r.customerId, r.customerName, r.owner, r.kind, kindLabel(r.kind), r.message, r.severity, r.overdue, r.uplift, r.priority, r.evidence?.table ?? null, r.evidence?.id ?? null, r.tier, r.band, r.health, r.risk]),
    );
  }
  return new TextEncoder().encode(parts.join(''));
}

function customer(id) {
  const i = state.byId.get(id);
  if (i === undefined) return { customer: null };
  const c = state.report.customers[i];
  const rows = rowIndex().get(id) ?? [];
  const rejected = new Map();
  for (const r of state.report.input.rejected) rejected.set(`${r.table}:${r.index}`, r.reason);
  const asOf = Date.parse(state.report.asOf);
  const timeline = rows.map(({ table, index, row }) => {
    const at = row[TIME_FIELD[table]];
    const t = typeof at === 'string' ? Date.parse(at) : NaN;
    return {
      table,
      index,
      row,
      at: typeof at === 'string' ? at : null,
      t: Number.isNaN(t) ? null : t,
      future: !Number.isNaN(t) && t > asOf,
      rejected: rejected.get(`${table}:${index}`) ?? null,
      place: locate(state.src, { table, index }),
    };
  });
  timeline.sort((a, b) => (b.t ?? -Infinity) - (a.t ?? -Infinity) || TABLE_NAMES.indexOf(a.table) - TABLE_NAMES.indexOf(b.table) || b.index - a.index);
  // Referral links: names of the exposed customers.
  const names = {};
  for (const x of [...c.exposure, c.referredBy].filter(Boolean)) {
    const j = state.byId.get(x);
    names[x] = j === undefined ? null : state.report.customers[j].name;
  }
  return { customer: c, timeline, names, asOf: state.report.asOf, timezone: state.report.policy.timezone };
}

// ─────────────────────────────── a run ───────────────────────────────

async function run(msg) {
  const { source, options } = msg;
  const t0 = performance.now();
  let input;
  let bytes = null;
  let csvData = null;
  const src = { kind: source.kind, name: source.name, files: [], bytes: 0, tables: {} };
  if (source.kind === 'url' || source.kind === 'json') {
    bytes = source.kind === 'url' ? await readUrl(source.url, source.name) : await readFile(source.file);
    src.files = [source.name];
    src.bytes = bytes.length;
    input = bytes;
  } else if (source.kind === 'csv') {
    const seen = {};
    for (const { file, table } of source.files) {
      if (!TABLES[table]) throw new PageError(`${file.name}: choose which table this file holds`, { file: file.name });
      if (seen[table]) throw new PageError(`${seen[table]} and ${file.name} are both for the ${table} table: give one file per table`, { file: file.name });
      seen[table] = file.name;
    }
    if (!seen.customers) throw new PageError('No customers file: a CSV set needs customers.csv (id, name, owner, …) besides the other tables', {});
    const Papa = await loadPapa();
    csvData = {};
    for (const { file, table } of source.files) {
      const b = await readFile(file);
      src.bytes += b.length;
      progress('parse', `Parsing ${file.name}`, 0, b.length, true);
      const text = new TextDecoder().decode(b);
      const { rows, lines } = parseCsv(Papa, text, table, file.name);
      csvData[table] = rows;
      src.tables[table] = { name: file.name, lines };
      src.files.push(file.name);
    }
    input = csvData;
  } else {
    throw new PageError(`unknown source ${source.kind}`);
  }
  const readMs = performance.now() - t0;

  progress('analyze', 'Parsing, validating and scoring in WebAssembly', null, null, true);
  await ready;
  let out;
  try {
    out = analyzeTimed(input, options ?? {});
  } catch (e) {
    if (isTendError(e)) {
      const policy = e.path.startsWith('options.policy') || e.path.startsWith('data.policy');
      const file = policy && e.path.startsWith('options') ? null : source.kind === 'csv' ? null : source.name;
      const lc = /line (\d+) column (\d+)/.exec(e.message);
      throw new PageError(file ? `${file}: ${e.message}` : e.message, {
        file,
        code: e.code,
        path: e.path,
        line: lc ? Number(lc[1]) : null,
        column: lc ? Number(lc[2]) : null,
      });
    }
    throw e;
  }
  progress('summarise', 'Preparing the worklist', null, null, true);
  const t1 = performance.now();
  const summary = buildState(out.report, null, src, bytes, csvData);
  summary.timings = {
    readMs: readMs,
    wasmMs: out.timings.wasmMs,
    core: out.timings.core,
    parseReportMs: out.timings.parseMs,
    stringifyMs: out.timings.stringifyMs,
    summariseMs: performance.now() - t1,
    totalMs: performance.now() - t0,
  };
  return summary;
}

function errorOf(e) {
  if (e instanceof PageError) return { message: e.message, ...e.details };
  if (e instanceof RangeError || /memory/i.test(String(e?.message))) {
    return { message: `Out of memory in the analysis worker (${e.message}). Try a smaller export.` };
  }
  return { message: String(e?.message ?? e) };
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case 'warm':
        await ready;
        return;
      case 'run': {
        const summary = await run(msg);
        self.postMessage({ type: 'result', id: msg.id, summary });
        return;
      }
      case 'query':
        self.postMessage({ type: 'page', id: msg.id, ...query(msg.q) });
        return;
      case 'customer':
        self.postMessage({ type: 'customer', id: msg.id, ...customer(msg.customerId) });
        return;
      case 'export': {
        const bytes = exportCsv(msg.q);
        self.postMessage({ type: 'export', id: msg.id, bytes }, [bytes.buffer]);
        return;
      }
      default:
        throw new PageError(`unknown message ${msg.type}`);
    }
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, error: errorOf(e) });
  }
};
