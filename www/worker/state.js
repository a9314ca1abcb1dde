// The analysis worker's state: the Tend engine of the last load (one per worker), what the
// answers need of that load (its source, the policy in force, the summary), the wasm module being
// compiled, and the progress messages of a run.
import { init, Tend, version } from '../../pkg/core.js';
import { PageError, PROGRESS } from '../protocol.js';
import { readSource, loadError } from './read.js';
import { envelopePolicy } from './envelope.js';

// Compile the module at once, while the first file is being read.
export const ready = init();
ready.catch(() => {});

let engine = null; // the Tend engine of the last load
/** What the answers need of the last load: its source (table → file), its policy, its summary. */
export let loaded = null;

let lastProgress = 0;
export function progress(stage, label, loaded = null, total = null, force = false) {
  const now = performance.now();
  if (!force && now - lastProgress < 60) return;
  lastProgress = now;
  self.postMessage({ type: PROGRESS, stage, label, loaded, total });
}

// ─────────────────────────────── loading ───────────────────────────────

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
export function summaryOf() {
  if (!loaded.summary) {
    const t0 = performance.now();
    const s = current().summary();
    loaded.summaryMs = performance.now() - t0;
    loaded.summary = s;
  }
  return loaded.summary;
}

export function summary() {
  const s = summaryOf();
  return pageSummary(s, loaded.src, s.policy ?? loaded.policy, loaded.summaryMs);
}

export async function load({ source, options = {} }) {
  engine?.free();
  engine = null;
  loaded = null;
  const t0 = performance.now();
  let { src, input } = await readSource(source, progress);
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

/** The engine of the last load (throws when nothing is loaded). */
export function current() {
  if (!engine) throw new PageError('No data is loaded');
  return engine;
}
