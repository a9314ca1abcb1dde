// A page's engine and its answers. `loadPage` reads a page's export (an envelope
// `{ asOf?, policy?, data }` or a bare export) with the user's policy merged over the page's,
// fits a buying model or falls back to the stored one, replays the updates the page published
// since its export last changed, and keeps the engine in the pool. The other functions answer
// from a loaded engine: compact rows for badges (`customers()`), one customer's details for a
// tooltip (`customer(id)`), an update (`update()`), the popup's list (`summary()`,
// `customers()`, `worklist()`).
import { Tend, isTendError } from '../tend-crm/core.js';
import { PageError } from '../protocol.js'; // www/protocol.js, copied by scripts/extension.sh
import { keyOf } from './hash.js';
import { settings, mergePolicy } from './settings.js';
import { modelFor, keepModel, forgetModel } from './models.js';

const PAGE = 10000; // the most items a query returns
const AT_RISK = ['high', 'critical'];
const MAX_IDS = 100000;
const bootId = Math.random().toString(36).slice(2, 8);
let tokens = 0;

// The page's export or updates are not what Tend reads.
const badPage = (message, path = 'page') => new PageError(message, { code: 'invalid_input', path });

function envelopeOf(text) {
  if (typeof text !== 'string') throw badPage("the page's Tend export is not text");
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw badPage(`the page's Tend export is not valid JSON: ${e.message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badPage("the page's Tend export is not an object");
  if (v.data !== undefined) return { asOf: v.asOf ?? null, policy: v.policy ?? null, data: v.data };
  return { asOf: null, policy: null, data: v };
}

/** A plain object (not null, not an array): the shape messages and updates are checked for. */
export const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Changes a page published: `{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`. */
export function changesOf(v, path = 'update') {
  if (!isObject(v)) throw badPage(`invalid update at \`${path}\`: expected an object`, path);
  const out = {};
  for (const k of ['upsert', 'remove']) {
    if (v[k] == null) continue;
    if (!isObject(v[k])) throw badPage(`invalid update at \`${path}.${k}\`: expected an object of arrays by table`, `${path}.${k}`);
    out[k] = v[k];
  }
  return out;
}

function idsOf(v) {
  if (!Array.isArray(v)) return [];
  return [...new Set(v.filter((x) => typeof x === 'string'))].slice(0, MAX_IDS);
}

/** Every item of a paged query. */
function all(query, q) {
  const items = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = query({ ...q, offset, limit: PAGE });
    items.push(...page.items);
    if (!page.items.length || items.length >= page.total) return items;
  }
}

/**
 * Load the page `from` (`{ key, tabId, frameId, documentId, url, origin }`, from the message's
 * sender) shows: `msg` `{ text, updates?, fallbackAsOf?, adapter?, ids? }` (checked by the
 * worker). The page's engine is reused when the sender's origin, the SHA-256 of the export
 * and of the options (computed here) and the model are those it was loaded with.
 */
export async function loadPage(msg, from, { pool, stats, ready }) {
  const env = envelopeOf(msg.text);
  const updates = Array.isArray(msg.updates) ? msg.updates.map((u, i) => changesOf(u, `updates[${i}]`)) : [];
  const origin = from.origin;
  const { policy: userPolicy, reuseModel } = await settings();
  const model = reuseModel ? await modelFor(origin) : null;
  const asOf = env.asOf ?? msg.fallbackAsOf ?? new Date().toISOString();
  const policy = mergePolicy(env.policy, userPolicy);
  const loadKey = `${origin}|${await keyOf(msg.text)}|${await keyOf(JSON.stringify([asOf, policy, updates]))}`;

  const same = pool.get(from.key, from.documentId);
  if (same && same.loadKey === loadKey && (same.fitted || same.modelId === (model?.id ?? null))) {
    stats.cacheHits += 1;
    return answer(same, idsOf(msg.ids));
  }
  // The page replaced its export (or the settings changed): its engine goes before the new one
  // is loaded, so that a page never holds two.
  if (same) pool.release(from.key, from.documentId, 'replaced');

  await ready();
  const t0 = performance.now();
  let tend = Tend.load(env.data, { asOf, policy });
  let used = null;
  try {
    let summary = tend.summary();
    const fitted = summary.models.source === 'fitted';
    if (fitted) {
      await keepModel(tend, summary, origin);
    } else if (model) {
      try {
        const other = Tend.load(env.data, { asOf, policy, models: model.models });
        tend.free();
        tend = other;
        used = model;
      } catch (e) {
        if (!isTendError(e)) throw e;
        console.warn('Tend: the stored buying model is not usable, forgetting it:', e.message);
        await forgetModel(model.origin, model.id);
      }
    }
    for (const u of updates) tend.update(u);
    const entry = {
      key: from.key,
      tabId: from.tabId,
      frameId: from.frameId,
      documentId: from.documentId,
      url: from.url,
      origin,
      adapter: typeof msg.adapter === 'string' ? msg.adapter : null,
      token: `${bootId}.${++tokens}`,
      tend,
      loadKey: updates.length ? null : loadKey,
      fitted,
      modelId: used ? used.id : null,
      // Which stored model: this site's own, or (only where the user chose it) another site's,
      // whose host is then named.
      storedFrom: used ? { own: !used.chosen, host: used.chosen ? used.host : null, customers: used.customers, savedAt: used.savedAt } : null,
      info: null,
      index: null,
    };
    summary = info(entry);
    stats.loads += 1;
    stats.last = { adapter: entry.adapter, url: entry.url, customers: summary.customers, models: summary.models.source, replayed: updates.length, ms: performance.now() - t0 };
    if (!pool.put(entry)) throw new PageError('the page was closed while it loaded', { code: 'not_loaded', path: 'page' });
    return answer(entry, idsOf(msg.ids));
  } catch (e) {
    if (!tend.freed && !pool.list().some((x) => x.tend === tend)) tend.free();
    throw e;
  }
}

/** What the content script keeps of its page: counts, `asOf`, the models used. */
function info(entry) {
  if (!entry.info) {
    const s = entry.tend.summary();
    entry.info = {
      token: entry.token,
      asOf: s.asOf,
      customers: s.customers,
      rejected: s.input.rejected,
      warnings: s.input.warnings,
      // Tables the page's records lack ("not recorded": their rules are not evaluated).
      notEvaluated: (s.input.notEvaluated ?? []).map((n) => n.table),
      updates: s.updates,
      models: { source: s.models.source, reason: s.models.reason ?? null, storedFrom: entry.storedFrom },
    };
  }
  return entry.info;
}

// Compact rows by id, read once per engine from the customers list (sorted by id).
function index(entry) {
  if (!entry.index) entry.index = new Map(all((q) => entry.tend.customers(q), { sort: 'id' }).map((r) => [r.id, r]));
  return entry.index;
}

// After an update: the rows of the customers it changed, read again (a few by a search for
// their id; many by reading the whole list again).
function refreshRows(entry, changed) {
  if (!entry.index) return;
  if (changed.length > 32) {
    entry.index = null;
    return;
  }
  for (const id of changed) {
    const page = entry.tend.customers({ search: id, sort: 'id', limit: PAGE });
    const row = page.items.find((r) => r.id === id);
    if (row) entry.index.set(id, row);
    else if (page.total > page.items.length) {
      entry.index = null;
      return;
    } else entry.index.delete(id);
  }
}

/** `[id, row | null]` for each id (null: not among the page's customers). */
function rowsFor(entry, ids) {
  const ix = index(entry);
  return ids.map((id) => [id, ix.get(id) ?? null]);
}

function answer(entry, ids) {
  return { page: info(entry), rows: rowsFor(entry, ids) };
}

export function badges(entry, msg) {
  return { rows: rowsFor(entry, idsOf(msg.ids)) };
}

/** Apply the changes a page published; the rows of the changed customers among `msg.ids`. */
export function updatePage(entry, msg, stats) {
  const changes = changesOf(msg.changes);
  const r = entry.tend.update(changes);
  entry.info = null;
  entry.loadKey = null; // the engine no longer holds the export it was loaded from
  refreshRows(entry, r.changed);
  stats.updates += 1;
  const wanted = new Set(idsOf(msg.ids));
  return {
    changed: r.changed,
    rejected: r.rejected.length,
    page: info(entry),
    rows: rowsFor(entry, r.changed.filter((id) => wanted.has(id))),
  };
}

/** A tooltip's details of one customer: top reasons, first action, snoozed flags. */
export function detail(entry, msg) {
  const c = typeof msg.id === 'string' ? entry.tend.customer(msg.id) : null;
  if (!c) return { detail: null };
  const a = c.actions[0];
  return {
    detail: {
      id: c.id,
      reasons: c.risk.reasons.slice(0, 3).map((r) => r.text),
      action: a ? { kind: a.kind, message: a.message, owner: a.owner ?? null, severity: a.severity ?? null } : null,
      snoozed: c.neglect.filter((f) => f.snoozed).length,
    },
  };
}

/** The popup's list: the customers at high or critical risk, each with its first action. */
export function atRisk(entry) {
  const rows = all((q) => entry.tend.customers(q), { risk: AT_RISK, sort: 'riskScore' });
  const first = new Map();
  if (rows.length) {
    // The worklist in its own order: a customer's first item is its most urgent action.
    for (let offset = 0; first.size < rows.length; offset += PAGE) {
      const page = entry.tend.worklist({ risk: AT_RISK, offset, limit: PAGE });
      for (const w of page.items) if (!first.has(w.customerId)) first.set(w.customerId, w);
      if (!page.items.length || offset + page.items.length >= page.total) break;
    }
  }
  rows.sort((a, b) => b.riskScore - a.riskScore || b.priority - a.priority || (a.id < b.id ? -1 : 1));
  return {
    page: info(entry),
    atRisk: rows.map((r) => {
      const w = first.get(r.id);
      return { ...r, action: w ? { kind: w.kind, message: w.message, owner: w.owner ?? null, severity: w.severity } : null };
    }),
  };
}
