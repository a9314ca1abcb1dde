// Tend without top-level await: call `await init()` (or `initSync()`) once, then `Tend.load()` or
// `analyze()`. For hosts that forbid top-level await, e.g. a Manifest V3 service worker.
// `index.js` is this module, initialised on import.
import wbgInit, {
  initSync as wbgInitSync,
  analyzeJson,
  analyzeBytes,
  lastTimings,
  fitBuyingModelJson,
  fitBuyingModelColumns,
  scoreBuyingColumns,
  version as wasmVersion,
  TendEngine,
  CsvSource,
} from './wasm/tend.js';

const WASM_URL = new URL('./wasm/tend_bg.wasm', import.meta.url);
const CODES = new Set(['invalid_input', 'invalid_option', 'invalid_policy', 'fit_failed', 'freed']);
const TABLES = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];

let ready = false;
let pending = null;

/** An analysis that cannot be done at all. `code` says why, `path` where. */
export class TendError extends Error {
  constructor(message, code, path, options) {
    super(message, options);
    this.name = 'TendError';
    this.code = code;
    this.path = path;
  }
}

/** True for a `TendError`, also one thrown by another copy of this module. */
export function isTendError(e) {
  return e instanceof TendError || (e instanceof Error && e.name === 'TendError' && typeof e.code === 'string' && typeof e.path === 'string');
}

function isNode() {
  return typeof process === 'object' && process !== null && typeof process.versions?.node === 'string';
}

async function nodeFs() {
  if (typeof process.getBuiltinModule === 'function') return process.getBuiltinModule('node:fs');
  return import(/* webpackIgnore: true */ /* @vite-ignore */ `node:${'fs'}`);
}

/**
 * Load and instantiate the WebAssembly module; resolves when `analyze()` can be called. Safe to
 * call more than once. `input` (optional): a URL, `Response`, `BufferSource` or
 * `WebAssembly.Module`; by default `wasm/tend_bg.wasm` next to this file (read from disk in Node,
 * fetched with `WebAssembly.instantiateStreaming` elsewhere).
 */
export function init(input) {
  if (ready) return Promise.resolve();
  if (!pending) {
    pending = (async () => {
      if (input === undefined && isNode() && WASM_URL.protocol === 'file:') {
        const fs = await nodeFs();
        wbgInitSync({ module: fs.readFileSync(WASM_URL) });
      } else {
        await wbgInit({ module_or_path: input ?? WASM_URL });
      }
      ready = true;
    })();
    pending.catch(() => {
      pending = null;
    });
  }
  return pending;
}

/**
 * Instantiate synchronously from the module's bytes or a compiled `WebAssembly.Module`. Without
 * an argument this works in Node only (it reads `wasm/tend_bg.wasm` from disk).
 */
export function initSync(module) {
  if (ready) return;
  if (module === undefined) {
    if (!isNode() || typeof process.getBuiltinModule !== 'function' || WASM_URL.protocol !== 'file:') {
      throw new Error('tend-crm: initSync() needs the module bytes or a WebAssembly.Module here; or use `await init()`');
    }
    module = process.getBuiltinModule('node:fs').readFileSync(WASM_URL);
  }
  wbgInitSync({ module });
  ready = true;
}

/** True once `init()` or `initSync()` has completed. */
export function isReady() {
  return ready;
}

function assertReady() {
  if (!ready) {
    throw new Error("tend-crm: the WebAssembly module is not initialised: `await init()` first (or import 'tend-crm', which initialises itself)");
  }
}

function describe(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `\`${v.length > 40 ? v.slice(0, 40) + '…' : v}\``;
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} \`${String(v)}\``;
}

function toInstant(v, path) {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new TendError(`invalid option at \`${path}\`: invalid Date`, 'invalid_option', path);
    return v.toISOString();
  }
  if (typeof v === 'string') return v;
  throw new TendError(`invalid option at \`${path}\`: expected a Date or an ISO 8601 string, got ${describe(v)}`, 'invalid_option', path);
}

// The options as the core reads them: `asOf` as an ISO string when given (else the envelope's,
// else `fallbackAsOf`, the current time), Dates in `policy.holidays` as ISO strings.
function coreOptions(options) {
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TendError(`invalid option at \`options\`: expected an object, got ${describe(options)}`, 'invalid_option', 'options');
  }
  const out = { ...options };
  if (options.asOf == null) delete out.asOf;
  else out.asOf = toInstant(options.asOf, 'options.asOf');
  const policy = options.policy;
  if (policy == null) delete out.policy;
  else if (typeof policy === 'object' && Array.isArray(policy.holidays)) {
    out.policy = { ...policy, holidays: policy.holidays.map((h, i) => (h instanceof Date ? toPolicyDate(h, i) : h)) };
  }
  return out;
}

// The options as JSON text for the core (`Date`s as ISO strings).
function optionsText(options) {
  const opts = coreOptions(options);
  try {
    return JSON.stringify(opts);
  } catch (e) {
    throw new TendError(`invalid option at \`options\`: cannot be converted to JSON: ${e.message}`, 'invalid_option', 'options', { cause: e });
  }
}

function toPolicyDate(d, i) {
  const path = `options.policy.holidays[${i}]`;
  if (Number.isNaN(d.getTime())) throw new TendError(`invalid policy at \`${path}\`: invalid Date`, 'invalid_policy', path);
  return d.toISOString();
}

// The data as text or bytes for the core.
function coreData(data) {
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TendError(
      `invalid input at \`data\`: expected an export object or its JSON text, got ${describe(data)}`,
      'invalid_input',
      'data',
    );
  }
  try {
    return JSON.stringify(data);
  } catch (e) {
    const hint = e instanceof RangeError ? ' (too large for one JavaScript string: pass the JSON as bytes, a Uint8Array)' : '';
    throw new TendError(`invalid input at \`data\`: cannot be converted to JSON: ${e.message}${hint}`, 'invalid_input', 'data', { cause: e });
  }
}

function wrapError(e) {
  if (e instanceof Error && e.name === 'TendError' && CODES.has(e.code) && !(e instanceof TendError)) {
    return new TendError(e.message, e.code, typeof e.path === 'string' ? e.path : '', { cause: e });
  }
  return e;
}

function isCsv(data) {
  return data !== null && typeof data === 'object' && !ArrayBuffer.isView(data) && !(data instanceof ArrayBuffer) && 'csv' in data;
}

function bytesOf(v, path) {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TendError(`invalid input at \`${path}\`: expected CSV text or bytes, got ${describe(v)}`, 'invalid_input', path);
}

// `{ csv: { customers: textOrBytes, orders: …, … } }` → the core's CSV source. Errors name
// `csv.<table>`, as the core's own CSV errors do.
function csvSource(data) {
  const csv = data.csv;
  if (csv === null || typeof csv !== 'object' || Array.isArray(csv)) {
    throw new TendError(`invalid input at \`csv\`: expected an object of CSV files by table, got ${describe(csv)}`, 'invalid_input', 'csv');
  }
  const src = new CsvSource();
  try {
    for (const [table, content] of Object.entries(csv)) {
      if (content == null) continue;
      if (!TABLES.includes(table)) {
        throw new TendError(`invalid input at \`csv.${table}\`: unknown table \`${table}\`, expected one of ${TABLES.join(', ')}`, 'invalid_input', `csv.${table}`);
      }
      src.add(table, bytesOf(content, `csv.${table}`));
    }
  } catch (e) {
    src.free();
    throw wrapError(e);
  }
  return src;
}


function parse(text) {
  return text === undefined ? null : JSON.parse(text);
}

function queryText(query, path) {
  if (query == null) return '';
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw new TendError(`invalid option at \`${path}\`: expected an object, got ${describe(query)}`, 'invalid_option', path);
  }
  try {
    return JSON.stringify(query);
  } catch (e) {
    throw new TendError(`invalid option at \`${path}\`: cannot be converted to JSON: ${e.message}`, 'invalid_option', path, { cause: e });
  }
}

const MAX_LIMIT = 10000;

// `{ offset?, limit? }` of `rejected()`, checked as the core checks a query's: whole numbers
// ≥ 0, at most 10 000 a page (an offset past 2³² − 1, the wasm's usize, is past every row).
function pageOf(page) {
  if (page == null) return { offset: 0, limit: 50 };
  if (typeof page !== 'object' || Array.isArray(page)) {
    throw new TendError(`invalid option at \`query\`: expected an object \`{ offset?, limit? }\`, got ${describe(page)}`, 'invalid_option', 'query');
  }
  for (const [k, v] of Object.entries(page)) {
    if (k !== 'offset' && k !== 'limit' && v !== undefined) {
      throw new TendError(`invalid option at \`query\`: unknown field \`${k}\`, expected \`offset\` or \`limit\``, 'invalid_option', 'query');
    }
  }
  const whole = (v, d, name) => {
    if (v == null) return d;
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new TendError(`invalid option at \`query.${name}\`: expected a whole number ≥ 0, got ${describe(v)}`, 'invalid_option', `query.${name}`);
    }
    return v;
  };
  const limit = whole(page.limit, 50, 'limit');
  if (limit > MAX_LIMIT) throw new TendError(`invalid option at \`query.limit\`: at most ${MAX_LIMIT} items a page`, 'invalid_option', 'query.limit');
  return { offset: Math.min(whole(page.offset, 0, 'offset'), 0xffffffff), limit };
}

// Load an engine handle from any source `analyze()` and `Tend.load()` take.
function loadHandle(data, options) {
  assertReady();
  const opts = optionsText(options);
  const now = new Date().toISOString();
  try {
    if (isCsv(data)) {
      const src = csvSource(data);
      try {
        return TendEngine.loadCsv(src, opts, now);
      } finally {
        src.free();
      }
    }
    const input = coreData(data);
    return TendEngine.loadJson(typeof input === 'string' ? new TextEncoder().encode(input) : input, opts, now);
  } catch (e) {
    throw wrapError(e);
  }
}

/**
 * A portfolio loaded once: pages of the worklist and of the customers list, one customer's
 * report, updates as the CRM's users work, the whole report. Answers equal `analyze()` of the
 * same records. Free it with `free()` when done (a freed engine's methods throw a `TendError`
 * with code `freed`).
 */
export class Tend {
  #h;

  constructor(handle) {
    if (!(handle instanceof TendEngine)) throw new TypeError('use Tend.load(source, options)');
    this.#h = handle;
  }

  /**
   * Load `source` (an export object or envelope, its JSON text or UTF-8 bytes, or
   * `{ csv: { customers, orders, … } }` with one CSV text or bytes per table) at `options.asOf`
   * (default: the envelope's, else now) with `options.policy` and `options.models`.
   */
  static load(source, options = {}) {
    return new Tend(loadHandle(source, options));
  }

  #call(f) {
    if (!this.#h) throw new TendError('this Tend engine was freed: load another with Tend.load()', 'freed', 'engine');
    try {
      return f(this.#h);
    } catch (e) {
      throw wrapError(e);
    }
  }

  /** `{ asOf, customers, actions, input, portfolio, models, owners, updates }`. */
  summary() {
    return this.#call((h) => JSON.parse(h.summary()));
  }

  /** A page of the worklist: `{ total, items }`. */
  worklist(query = {}) {
    const q = queryText(query, 'query');
    return this.#call((h) => JSON.parse(h.worklist(q)));
  }

  /** A page of the customers list (compact rows): `{ total, items }`. */
  customers(query = {}) {
    const q = queryText(query, 'query');
    return this.#call((h) => JSON.parse(h.customers(q)));
  }

  /** A page of the neglect flags, snoozed ones included, by owner then most overdue. */
  flags(query = {}) {
    const q = queryText(query, 'query');
    return this.#call((h) => JSON.parse(h.flags(q)));
  }

  /** One customer's whole report, as `analyze()` gives it, or `null`. */
  customer(id) {
    return this.#call((h) => parse(h.customer(String(id))));
  }

  /** A page of the rejected rows (the load's, then each update's): `{ total, items }`. */
  rejected(page = {}) {
    const { offset, limit } = pageOf(page);
    return this.#call((h) => JSON.parse(h.rejected(offset, limit)));
  }

  /**
   * Apply changes: `{ upsert: { table: [rows] }, remove: { table: [ids] } }` (removals first;
   * a row with a known id replaces it; removing a customer removes its rows). Returns
   * `{ changed: [customerIds], rejected: [rows] }`.
   */
  update(changes) {
    let text;
    try {
      text = JSON.stringify(changes ?? {});
    } catch (e) {
      throw new TendError(`invalid input at \`update\`: cannot be converted to JSON: ${e.message}`, 'invalid_input', 'update', { cause: e });
    }
    return this.#call((h) => JSON.parse(h.update(text)));
  }

  /** Refit the buying model on the current records (updates keep the fitted one). */
  refit() {
    this.#call((h) => h.refit());
  }

  /** A new engine over the same records at another instant (free it too). */
  at(asOf) {
    const t = toInstant(asOf, 'asOf');
    return new Tend(this.#call((h) => h.at(t)));
  }

  /** The whole report, identical to `analyze()` of the same records. */
  report() {
    return this.#call((h) => JSON.parse(h.report()));
  }

  /** One customer's records (its row and its rows of every table, oldest first), or `null`. */
  records(id) {
    return this.#call((h) => parse(h.records(String(id))));
  }

  /** The records the engine holds, as an export object. */
  export() {
    return this.#call((h) => JSON.parse(h.export()));
  }

  /** The buying models in use, as `options.models` takes them (`false` when none). */
  models() {
    return this.#call((h) => JSON.parse(h.models()));
  }

  /** Release the engine's memory. Safe to call twice. */
  free() {
    if (this.#h) {
      this.#h.free();
      this.#h = undefined;
    }
  }

  /** Whether `free()` was called. */
  get freed() {
    return this.#h === undefined;
  }
}

function run(data, options, timings) {
  assertReady();
  const t0 = timings ? performance.now() : 0;
  if (isCsv(data)) {
    const tend = new Tend(loadHandle(data, options));
    try {
      const report = tend.report();
      if (timings) timings.wasmMs = performance.now() - t0;
      return report;
    } finally {
      tend.free();
    }
  }
  const opts = optionsText(options);
  const input = coreData(data);
  const now = new Date().toISOString();
  const t1 = timings ? performance.now() : 0;
  let text;
  try {
    text = typeof input === 'string' ? analyzeJson(input, opts, now) : analyzeBytes(input, opts, now);
  } catch (e) {
    throw wrapError(e);
  }
  const t2 = timings ? performance.now() : 0;
  const report = JSON.parse(text);
  if (timings) {
    const [parseJsonMs, analyzeMs, serializeMs] = lastTimings();
    timings.stringifyMs = t1 - t0;
    timings.wasmMs = t2 - t1;
    timings.parseMs = performance.now() - t2;
    timings.core = { parseJsonMs, analyzeMs, serializeMs };
  }
  return report;
}

/**
 * Analyse a CRM export at the instant `options.asOf` (default: the envelope's `asOf`, else now).
 * `data` is the export object or an envelope `{ asOf?, policy?, data }`, the JSON text of one
 * as a string or UTF-8 bytes (parsed inside wasm), or `{ csv: { customers, … } }`. Returns the
 * report as plain JSON data; `Tend.load()` keeps the analysis to page and update it.
 */
export function analyze(data, options = {}) {
  return run(data, options, null);
}

/**
 * `analyze()` with the time spent converting to JSON, in WebAssembly (and of that, the core's own
 * phases), and parsing the report.
 */
export function analyzeTimed(data, options = {}) {
  const timings = { stringifyMs: 0, wasmMs: 0, parseMs: 0, core: { parseJsonMs: 0, analyzeMs: 0, serializeMs: 0 } };
  const report = run(data, options, timings);
  return { report, timings };
}

function json(v, path, code) {
  try {
    return JSON.stringify(v ?? {}, (_k, x) => (x instanceof Date ? x.toISOString() : x));
  } catch (e) {
    throw new TendError(`${code === 'invalid_input' ? 'invalid input' : 'invalid option'} at \`${path}\`: cannot be converted to JSON: ${e.message}`, code, path, { cause: e });
  }
}

function call(f) {
  assertReady();
  try {
    return JSON.parse(f());
  } catch (e) {
    throw wrapError(e);
  }
}

// Summaries cross the boundary as one typed array per field (no object per customer).
function columns(summaries, path) {
  if (!Array.isArray(summaries)) {
    throw new TendError(`invalid input at \`${path}\`: expected an array, got ${describe(summaries)}`, 'invalid_input', path);
  }
  const n = summaries.length;
  const f = new Float64Array(n);
  const r = new Float64Array(n);
  const t = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = summaries[i];
    if (s === null || typeof s !== 'object') {
      throw new TendError(`invalid input at \`${path}[${i}]\`: expected a summary object, got ${describe(s)}`, 'invalid_input', `${path}[${i}]`);
    }
    f[i] = num(s.frequency);
    r[i] = num(s.recency);
    t[i] = num(s.T);
    m[i] = s.monetaryValue == null ? NaN : num(s.monetaryValue);
  }
  return [f, r, t, m];
}

function num(v) {
  return typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
}

/**
 * Fit a buy-till-you-die model. `input` is `{ summaries: [{ id, frequency, recency, T,
 * monetaryValue? }] }` or `{ orders: [{ customerId, at, amount }] }`; with orders,
 * `options.timeUnit` (`'day'`, `'week'`, `'month'` or a number of days) and `options.asOf` are
 * required — there is no hidden default unit. `options.model` is `'bgnbd'` (default), `'mbgnbd'`
 * or `'paretonbd'`; `options.spend: 'gammagamma'` adds the spend model.
 */
export function fitBuyingModel(input, options = {}) {
  const opts = { ...options };
  if (opts.asOf instanceof Date) opts.asOf = toInstant(opts.asOf, 'options.asOf');
  const o = json(opts, 'options', 'invalid_option');
  if (input && typeof input === 'object' && Array.isArray(input.summaries)) {
    const [f, r, t, m] = columns(input.summaries, 'input.summaries');
    return call(() => fitBuyingModelColumns(f, r, t, m, o));
  }
  return call(() => fitBuyingModelJson(json(input, 'input', 'invalid_input'), o));
}

/**
 * Score customers with a fit from `fitBuyingModel`: per summary `{ id, pAlive,
 * expectedPurchases, probNoPurchase, expectedSpend, clv }` over `options.horizon` (in the fit's
 * time unit), the CLV discounted at `options.discountRate` per period.
 */
export function scoreBuying(fit, summaries, options = {}) {
  const [f, r, t, m] = columns(summaries, 'summaries');
  assertReady();
  let flat;
  try {
    flat = scoreBuyingColumns(json(fit, 'fit', 'invalid_option'), f, r, t, m, json(options, 'options', 'invalid_option'));
  } catch (e) {
    throw wrapError(e);
  }
  const out = new Array(summaries.length);
  for (let i = 0, k = 0; i < out.length; i++, k += 5) {
    out[i] = {
      id: String(summaries[i].id),
      pAlive: flat[k],
      expectedPurchases: flat[k + 1],
      probNoPurchase: flat[k + 2],
      expectedSpend: Number.isNaN(flat[k + 3]) ? null : flat[k + 3],
      clv: Number.isNaN(flat[k + 4]) ? null : flat[k + 4],
    };
  }
  return out;
}

/** The version of the Tend core. */
export function version() {
  assertReady();
  return wasmVersion();
}
