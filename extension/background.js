// Tend's service worker (a module): the only place the WebAssembly runs. It keeps one `Tend`
// engine per page (worker/pool.js): a content script sends its page's export once
// (`tend:load`), then asks for badges (`tend:badges`), a customer's details (`tend:detail`),
// the popup's list (`tend:list`) and applies the changes its page publishes (`tend:update`),
// each answered from that page's engine (worker/page.js). The engine is freed when its
// document goes: the page's port closes (`tend:page`), another document loads in the frame,
// the tab closes, or the content script drops it (`tend:release`).
//
// No top-level await (not allowed in service workers): the module is initialised lazily, on the
// first message that needs it. No network: the only fetch is the extension's own .wasm file.
// Engines live as long as the worker: when Chrome stops an idle worker they go, and a page's
// next request is answered `not_loaded`, which makes its content script send the export again.
import { init, analyze } from './tend-crm/core.js';
import { EnginePool, pageKey } from './worker/pool.js';
import { PageError, loadPage, badges, updatePage, detail, atRisk } from './worker/page.js';
import { watchSites } from './worker/sites.js';

const WASM_URL = chrome.runtime.getURL('tend-crm/wasm/tend_bg.wasm');
const ready = () => init(WASM_URL);

// Testing hooks, read by tests/e2e/extension.test.mjs through Playwright's worker.evaluate:
// the bound on live engines, counters, and the live engines themselves.
const config = (globalThis.tendConfig = { maxEngines: 8 });
const stats = (globalThis.tendStats = {
  loads: 0, // engines loaded from a page's export
  cacheHits: 0, // loads answered by the page's engine as it was
  updates: 0, // page updates applied to an engine
  freed: 0,
  freedBy: {}, // why: navigated, unloaded, closed, evicted, replaced, dropped
  last: null, // the last load
  engines: 0, // live engines
});
const pool = new EnginePool({
  max: () => config.maxEngines,
  onFree: (_, why) => {
    stats.freed += 1;
    stats.freedBy[why] = (stats.freedBy[why] ?? 0) + 1;
    stats.engines = pool.size;
  },
});
globalThis.tendEngines = {
  list: () => pool.list().map((e) => ({ tab: e.tabId, frame: e.frameId, url: e.url, adapter: e.adapter, token: e.token, customers: e.info?.customers ?? null, updates: e.info?.updates ?? 0 })),
  clear: () => pool.clear(),
};

// The page a message comes from: a document in a frame of a tab.
function pageOf(sender) {
  if (!sender.tab || typeof sender.documentId !== 'string') throw new PageError('only a page may ask this', 'invalid_input', 'sender');
  return { key: pageKey(sender.tab.id, sender.frameId), tabId: sender.tab.id, frameId: sender.frameId ?? 0, documentId: sender.documentId, url: sender.url ?? null };
}

function engineOf(msg, sender) {
  const from = pageOf(sender);
  const entry = pool.get(from.key, from.documentId, msg.token);
  if (!entry) throw new PageError('no engine for this page: send its export again', 'not_loaded', 'token');
  return entry;
}

// A policy from the options page, checked by the core before it is saved.
async function checkPolicy(policy) {
  await ready();
  analyze({ customers: [] }, { asOf: '2026-01-01T00:00:00Z', policy });
  return {};
}

const HANDLERS = {
  'tend:load': async (msg, sender) => {
    const r = await loadPage(msg, pageOf(sender), { pool, stats, ready });
    stats.engines = pool.size;
    return r;
  },
  'tend:badges': (msg, sender) => badges(engineOf(msg, sender), msg),
  'tend:update': (msg, sender) => updatePage(engineOf(msg, sender), msg, stats),
  'tend:detail': (msg, sender) => detail(engineOf(msg, sender), msg),
  'tend:list': (msg, sender) => atRisk(engineOf(msg, sender)),
  'tend:release': (msg, sender) => {
    const from = pageOf(sender);
    pool.release(from.key, from.documentId, 'dropped');
    return {};
  },
  'tend:checkPolicy': (msg) => checkPolicy(msg.policy ?? {}),
};

function errorOf(e) {
  if (!(e instanceof PageError) && !(e?.name === 'TendError')) console.warn('Tend:', e);
  return { message: String(e?.message ?? e), code: e?.code ?? null, path: e?.path ?? null };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return undefined;
  const handler = typeof msg?.type === 'string' && Object.hasOwn(HANDLERS, msg.type) ? HANDLERS[msg.type] : null;
  if (!handler) return undefined;
  (async () => handler(msg, sender))().then(
    (r) => sendResponse({ ok: true, ...r }),
    (e) => sendResponse({ ok: false, error: errorOf(e) }),
  );
  return true;
});

// A page's content script holds a port open while its document lives: its closing (unload,
// navigation, the back/forward cache) frees the engine; a new document connecting in the same
// frame means the old one is gone.
chrome.runtime.onConnect.addListener((port) => {
  const s = port.sender;
  if (port.name !== 'tend:page' || s?.id !== chrome.runtime.id || !s.tab || typeof s.documentId !== 'string') return;
  const key = pageKey(s.tab.id, s.frameId);
  const doc = s.documentId;
  pool.connected(key, doc);
  port.onDisconnect.addListener(() => pool.release(key, doc));
});

chrome.tabs.onRemoved.addListener((tabId) => pool.releaseTab(tabId));

watchSites();
