// tend-crm/models without top-level await: call `await init()` (or `initSync()`) once, then
// `fitBuyingModel()` and `scoreBuying()`. The buying-model API is a WebAssembly module of its own
// (`wasm/tend_models_bg.wasm`): a page that only scores its portfolio never downloads it.
import wbgInit, { initSync as wbgInitSync, fitBuyingModelJson, fitBuyingModelColumns, scoreBuyingColumns } from './wasm/tend_models.js';
import { TendError, describe, toInstant, wrapError } from './errors.js';
import { moduleLoader } from './loader.js';

const loader = moduleLoader(new URL('./wasm/tend_models_bg.wasm', import.meta.url), wbgInit, wbgInitSync);

/** Load the buying-model module; resolves when `fitBuyingModel()` can be called. */
export const init = loader.init;

/** Instantiate the buying-model module synchronously (Node: from disk without an argument). */
export const initSync = loader.initSync;

/** True once the buying-model module is ready. */
export const isReady = loader.isReady;

function assertReady() {
  if (!loader.isReady()) {
    throw new Error("tend-crm/models: the WebAssembly module is not initialised: `await init()` first (or import 'tend-crm/models', which initialises itself)");
  }
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
    return f();
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

