// Tend's service worker (a module): the only place the WebAssembly runs. Content scripts send a
// page's export as JSON text with its hash; the worker merges the user's policy, scores it with
// the packaged Tend core, keeps a fitted buying model for pages too small to fit one, caches the
// result by (export hash, asOf, policy, model) and answers with a compact summary per customer.
//
// No top-level await (not allowed in service workers): the module is initialised lazily, on the
// first message that needs it. No network: the only fetch is the extension's own .wasm file.
import { init, analyze, isTendError } from './tend/core.js';
import './content/hash.js';

const WASM_URL = chrome.runtime.getURL('tend/wasm/tend_bg.wasm');
const CACHE_MAX = 16;
const USER_SITES_ID = 'tend-user-sites';
// The same scripts as the manifest's built-in content script (127.0.0.1 and localhost).
const CONTENT_JS = chrome.runtime.getManifest().content_scripts[0].js;

/** Results by key, most recently used last. */
const cache = new Map();

// Read by the end-to-end test through Playwright's worker.evaluate (tests/e2e/extension.test.mjs).
const stats = (globalThis.tendStats = { scorings: 0, cacheHits: 0, last: null });
const tabs = (globalThis.tendTabs = new Map());

const hash = globalThis.tendHash;

class PageError extends Error {
  constructor(message, code = 'invalid_input', path = 'page') {
    super(message);
    this.code = code;
    this.path = path;
  }
}

async function settings() {
  const [sync, local] = await Promise.all([
    chrome.storage.sync.get({ policy: {}, reuseModel: true }),
    chrome.storage.local.get({ model: null }),
  ]);
  return { policy: sync.policy ?? {}, reuseModel: sync.reuseModel !== false, model: local.model };
}

/**
 * The page's policy with the user's settings on top: a value set in the options page wins,
 * per field (and per severity / tier); holidays are the union of both lists.
 */
export function mergePolicy(page, user) {
  const out = page && typeof page === 'object' && !Array.isArray(page) ? { ...page } : {};
  for (const [k, v] of Object.entries(user ?? {})) {
    if (v === null || v === undefined || v === '') continue;
    if (k === 'holidays' && Array.isArray(v)) out.holidays = [...new Set([...(Array.isArray(out.holidays) ? out.holidays : []), ...v])];
    else if (typeof v === 'object' && !Array.isArray(v)) out[k] = { ...(out[k] ?? {}), ...v };
    else out[k] = v;
  }
  return out;
}

function envelopeOf(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new PageError(`the page's Tend export is not valid JSON: ${e.message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new PageError("the page's Tend export is not an object");
  // An envelope { asOf?, policy?, data } or a bare export { customers, … }.
  if (v.data !== undefined) return { asOf: v.asOf ?? null, policy: v.policy ?? null, data: v.data };
  return { asOf: null, policy: null, data: v };
}

function summarize(report, model) {
  return {
    asOf: report.asOf,
    models: {
      source: report.models?.source ?? 'none',
      reason: report.models?.reason ?? null,
      storedFrom: model ? { host: model.host, customers: model.customers, savedAt: model.savedAt } : null,
    },
    input: { rejected: report.input.rejected.length },
    customers: report.customers.map((c) => {
      const open = c.neglect.filter((f) => !f.snoozed);
      const a = c.actions[0];
      return {
        id: c.id,
        name: c.name,
        owner: c.owner,
        health: { score: c.health.score, band: c.health.band, trend: c.health.trend },
        risk: { level: c.risk.level, score: c.risk.score, reasons: c.risk.reasons.slice(0, 3).map((r) => r.text) },
        flags: open.length,
        snoozed: c.neglect.length - open.length,
        action: a ? { kind: a.kind, message: a.message, owner: a.owner ?? null, severity: a.severity ?? null } : null,
        priority: c.priority,
      };
    }),
  };
}

// A fitted model replaces the stored one when it comes from the same site (a refresh of the
// same portfolio) or was fitted on at least as many customers.
async function keepModel(report, current, url) {
  const models = report.models;
  const id = hash(JSON.stringify(models));
  if (current?.id === id) return;
  const host = url ? new URL(url).host : '';
  const customers = models.buying?.customers ?? report.customers.length;
  if (current && current.host !== host && (current.customers ?? 0) > customers) return;
  await chrome.storage.local.set({
    model: { id, models, host, customers, repeatBuyers: models.repeatBuyers ?? null, asOf: report.asOf, savedAt: new Date().toISOString() },
  });
}

async function score(msg, sender) {
  const env = envelopeOf(msg.text);
  const { policy: userPolicy, reuseModel, model } = await settings();
  const asOf = env.asOf ?? msg.fallbackAsOf ?? new Date().toISOString();
  const policy = mergePolicy(env.policy, userPolicy);
  const modelId = reuseModel && model ? model.id : null;
  const key = `${msg.hash ?? hash(msg.text)}|${hash(JSON.stringify([asOf, policy]))}`;

  const hit = cache.get(key);
  if (hit && (hit.fitted || hit.modelId === modelId)) {
    cache.delete(key);
    cache.set(key, hit);
    stats.cacheHits += 1;
    return hit.result;
  }

  await init(WASM_URL);
  const t0 = performance.now();
  let report = analyze(env.data, { asOf, policy });
  const fitted = report.models?.source === 'fitted';
  let used = null;
  if (fitted) {
    await keepModel(report, model, sender.url);
  } else if (modelId) {
    try {
      report = analyze(env.data, { asOf, policy, models: model.models });
      used = model;
    } catch (e) {
      if (!isTendError(e)) throw e;
      console.warn('Tend: the stored buying model is not usable, forgetting it:', e.message);
      await chrome.storage.local.remove('model');
    }
  }
  const result = summarize(report, used);
  stats.scorings += 1;
  stats.last = { adapter: msg.adapter ?? null, url: sender.url ?? null, customers: result.customers.length, models: result.models.source, ms: performance.now() - t0 };

  cache.set(key, { result, fitted, modelId: used ? modelId : null });
  while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
  return result;
}

// A policy from the options page, checked by the core before it is saved.
async function checkPolicy(policy) {
  await init(WASM_URL);
  analyze({ customers: [] }, { asOf: '2026-01-01T00:00:00Z', policy });
  return {};
}

function errorOf(e) {
  return { message: String(e?.message ?? e), code: e?.code ?? null, path: e?.path ?? null };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return undefined;
  let work;
  if (msg?.type === 'tend:analyze' && typeof msg.text === 'string') {
    work = score(msg, sender).then((result) => {
      if (sender.tab?.id !== undefined) {
        tabs.set(sender.tab.id, { url: sender.url, adapter: msg.adapter ?? null, customers: result.customers.length, at: Date.now() });
      }
      return { result };
    });
  } else if (msg?.type === 'tend:checkPolicy') {
    work = checkPolicy(msg.policy ?? {});
  } else return undefined;
  work.then(
    (r) => sendResponse({ ok: true, ...r }),
    (e) => sendResponse({ ok: false, error: errorOf(e) }),
  );
  return true;
});

chrome.tabs.onRemoved.addListener((tabId) => tabs.delete(tabId));

// ───────────── user-enabled sites: optional host permissions + registered content scripts ─────────────

async function grantedSites() {
  const { sites = [] } = await chrome.storage.sync.get({ sites: [] });
  const out = [];
  for (const s of sites) {
    try {
      if (await chrome.permissions.contains({ origins: [s] })) out.push(s);
    } catch {
      /* not a valid pattern: skip */
    }
  }
  return out;
}

async function syncContentScripts() {
  const matches = await grantedSites();
  const existing = await chrome.scripting.getRegisteredContentScripts({ ids: [USER_SITES_ID] });
  if (!matches.length) {
    if (existing.length) await chrome.scripting.unregisterContentScripts({ ids: [USER_SITES_ID] });
    return matches;
  }
  const script = { id: USER_SITES_ID, matches, js: CONTENT_JS, runAt: 'document_idle', persistAcrossSessions: true };
  if (existing.length) await chrome.scripting.updateContentScripts([script]);
  else await chrome.scripting.registerContentScripts([script]);
  return matches;
}

// Tabs already open on a site the user just enabled get the content script now (it guards
// against running twice).
async function injectOpenTabs(origins) {
  if (!origins?.length) return;
  const open = await chrome.tabs.query({ url: origins });
  await Promise.all(
    open.map((t) => chrome.scripting.executeScript({ target: { tabId: t.id }, files: CONTENT_JS }).catch(() => {})),
  );
}

let syncing = Promise.resolve();
function resync(inject) {
  syncing = syncing
    .then(syncContentScripts)
    .then((m) => (inject ? injectOpenTabs(inject.filter((o) => m.includes(o))) : undefined))
    .catch((e) => console.warn('Tend: could not register the content scripts:', e));
  return syncing;
}

chrome.runtime.onInstalled.addListener(() => resync());
chrome.runtime.onStartup.addListener(() => resync());
chrome.permissions.onAdded.addListener((p) => resync(p.origins));
chrome.permissions.onRemoved.addListener(() => resync());
chrome.storage.onChanged.addListener((changes, area) => {
  if (area === 'sync' && changes.sites) {
    const before = new Set(changes.sites.oldValue ?? []);
    resync((changes.sites.newValue ?? []).filter((s) => !before.has(s)));
  }
});
