// Tend without top-level await: call `await init()` (or `initSync()`) once, then `Tend.load()` or
// `analyze()`. For hosts that forbid top-level await, e.g. a Manifest V3 service worker.
// `index.js` is this module, initialised on import.
import wbgInit, {
  initSync as wbgInitSync,
  lastTimings,
  version as wasmVersion,
  TendEngine,
  CsvSource,
} from './wasm/tend.js';
import { TendError, isTendError, describe, guarded, messageOf, tendError, toInstant, wrapError } from './errors.js';
import { moduleLoader } from './loader.js';
import { TABLES, exportText, updateText } from './rows.js';

export { TendError, isTendError };

const WASM_URL = new URL('./wasm/tend_bg.wasm', import.meta.url);

const loader = moduleLoader(WASM_URL, wbgInit, wbgInitSync);

/**
 * Load and instantiate the WebAssembly module; resolves when `Tend.load()` and `analyze()` can
 * be called. Safe to call more than once. `input` (optional): a URL, `Response`, `BufferSource`
 * or `WebAssembly.Module`; by default `wasm/tend_bg.wasm` next to this file (read from disk in
 * Node, fetched with `WebAssembly.instantiateStreaming` elsewhere).
 */
export const init = loader.init;

/**
 * Instantiate synchronously from the module's bytes or a compiled `WebAssembly.Module`. Without
 * an argument this works in Node only (it reads `wasm/tend_bg.wasm` from disk).
 */
export const initSync = loader.initSync;

/** True once `init()` or `initSync()` has completed. */
export const isReady = loader.isReady;

function assertReady() {
  if (!loader.isReady()) {
    throw new Error("tend-crm: the WebAssembly module is not initialised: `await init()` first (or import 'tend-crm', which initialises itself)");
  }
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
  const opts = guarded('invalid_option', 'options', () => coreOptions(options));
  return converted(() => JSON.stringify(opts), 'options', 'invalid_option');
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
  return converted(() => exportText(data), 'data', 'invalid_input');
}

// `f()`'s JSON text (rows.js names the path of what it cannot read; JSON.stringify failing on
// the whole names `path`); for data too long for one string the error says to pass bytes.
function converted(f, path, code) {
  try {
    return f();
  } catch (e) {
    if (isTendError(e)) throw e;
    const tooLong = e instanceof RangeError && code === 'invalid_input';
    const hint = tooLong ? ' (too large for one JavaScript string: pass the JSON as bytes, a Uint8Array)' : '';
    throw tendError(code, path, `cannot be converted to JSON: ${messageOf(e)}${hint}`, e);
  }
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
  return guarded('invalid_option', path, () => queryTextOf(query, path));
}

function queryTextOf(query, path) {
  if (query == null) return '';
  if (typeof query !== 'object' || Array.isArray(query)) {
    throw new TendError(`invalid option at \`${path}\`: expected an object, got ${describe(query)}`, 'invalid_option', path);
  }
  return converted(() => JSON.stringify(query), path, 'invalid_option');
}

// `{ weeks? }` of `history()`: a whole number of weeks from 1 to 104.
function weeksOf(options) {
  if (options == null) return 26;
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new TendError(`invalid option at \`options\`: expected an object \`{ weeks? }\`, got ${describe(options)}`, 'invalid_option', 'options');
  }
  for (const k of Object.keys(options)) {
    if (k !== 'weeks' && options[k] !== undefined) {
      throw new TendError(`invalid option at \`options\`: unknown field \`${k}\`, expected \`weeks\``, 'invalid_option', 'options');
    }
  }
  const w = options.weeks ?? 26;
  if (!Number.isInteger(w) || w < 1 || w > 104) {
    throw new TendError(`invalid option at \`options.weeks\`: must be a whole number of weeks from 1 to 104, got ${describe(w)}`, 'invalid_option', 'options.weeks');
  }
  return w;
}

const MAX_LIMIT = 10000;

// `{ offset?, limit? }` of `rejected()`, checked as the core checks a query's: whole numbers
// ≥ 0, at most 10 000 a page (an offset past 2³² − 1, the wasm's usize, is past every row).
function pageOf(page) {
  return guarded('invalid_option', 'query', () => pageOfQuery(page));
}

function pageOfQuery(page) {
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
    if (guarded('invalid_input', 'data', () => isCsv(data))) {
      const src = csvSource(data);
      try {
        return TendEngine.loadCsv(src, opts, now);
      } finally {
        src.free();
      }
    }
    const input = guarded('invalid_input', 'data', () => coreData(data));
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
    const key = guarded('invalid_option', 'id', () => String(id));
    return this.#call((h) => parse(h.customer(key)));
  }

  /** A page of the rejected rows (the load's, then each update's): `{ total, items }`. */
  rejected(page = {}) {
    const { offset, limit } = pageOf(page);
    return this.#call((h) => JSON.parse(h.rejected(offset, limit)));
  }

  /**
   * A page of the warnings: rows kept with one field ignored (a `referredBy` naming no
   * customer): `{ total, items }`.
   */
  warnings(page = {}) {
    const { offset, limit } = pageOf(page);
    return this.#call((h) => JSON.parse(h.warnings(offset, limit)));
  }

  /**
   * Apply changes: `{ upsert: { table: [rows] }, remove: { table: [ids] } }` (removals first;
   * a row with a known id replaces it; removing a customer removes its rows). Returns
   * `{ changed: [customerIds], rejected: [rows] }`.
   */
  update(changes) {
    const text = converted(() => updateText(changes ?? {}), 'update', 'invalid_input');
    return this.#call((h) => JSON.parse(h.update(text)));
  }

  /** Refit the buying model on the current records (updates keep the fitted one). */
  refit() {
    this.#call((h) => h.refit());
  }

  /** A new engine over the same records at another instant (free it too). */
  at(asOf) {
    const t = guarded('invalid_option', 'asOf', () => toInstant(asOf, 'asOf'));
    return new Tend(this.#call((h) => h.at(t)));
  }

  /** The whole report, identical to `analyze()` of the same records. */
  report() {
    return this.#call((h) => JSON.parse(h.report()));
  }

  /** One customer's records (its row and its rows of every table, oldest first), or `null`. */
  records(id) {
    const key = guarded('invalid_option', 'id', () => String(id));
    return this.#call((h) => parse(h.records(key)));
  }

  /** The records the engine holds, as an export object. */
  export() {
    return this.#call((h) => JSON.parse(h.export()));
  }

  /**
   * Which operational events move the next survey answer: `{ method, minPairs, pairs, drivers,
   * inseparable }`, drivers ranked by cost (computed when first asked, kept until an update).
   */
  drivers() {
    return this.#call((h) => JSON.parse(h.drivers()));
  }

  /**
   * The drivers that hit one customer: the kinds of event it had in the last 365 days, each
   * with its count and the portfolio's effect (`cost` = effect × its events), most costly
   * first; `null` for an unknown id.
   */
  driversOf(id) {
    const key = guarded('invalid_option', 'id', () => String(id));
    return this.#call((h) => parse(h.driversOf(key)));
  }

  /**
   * One customer's history: `{ id, weeks, points, changes }` — its health, risk and stage at
   * weekly points ending at `asOf` (`options.weeks`, 1–104, default 26), each what the analysis
   * said that day, and the change between consecutive points with its causes; `null` for an
   * unknown id.
   */
  history(id, options = {}) {
    const key = guarded('invalid_option', 'id', () => String(id));
    const weeks = guarded('invalid_option', 'options.weeks', () => weeksOf(options));
    return this.#call((h) => parse(h.history(key, weeks)));
  }

  /**
   * A page of the state changes: the customers who entered the red band, high or critical
   * risk, or dissolution in the last `days` (7 or 30, default 7) — with `all: true` also those
   * who stayed there — by value, with the days they have been red or at high risk.
   */
  changes(query = {}) {
    const q = queryText(query, 'query');
    return this.#call((h) => JSON.parse(h.changes(q)));
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
  // The options and the data as the core reads them (JSON text or bytes), timed apart.
  const prepared = guarded('invalid_input', 'data', () => (isCsv(data) ? data : coreData(data)));
  const t1 = timings ? performance.now() : 0;
  const h = loadHandle(prepared, options);
  const [readMs, analyzeMs] = lastTimings();
  let text;
  try {
    text = h.report();
  } catch (e) {
    throw wrapError(e);
  } finally {
    h.free();
  }
  const serializeMs = lastTimings()[2];
  const t2 = timings ? performance.now() : 0;
  const report = JSON.parse(text);
  if (timings) {
    timings.stringifyMs = t1 - t0;
    timings.wasmMs = t2 - t1;
    timings.parseMs = performance.now() - t2;
    timings.core = { parseJsonMs: readMs, analyzeMs, serializeMs };
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

/** The version of the Tend core. */
export function version() {
  assertReady();
  return wasmVersion();
}
