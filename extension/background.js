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
import { PageError } from './protocol.js'; // www/protocol.js, copied by scripts/extension.sh
import { loadPage, badges, updatePage, detail, atRisk, isObject } from './worker/page.js';
import { watchSites, setLocalSites, localAllowed, LOCAL_SITES } from './worker/sites.js';
import { restrictStorage, watchChanges } from './worker/changes.js';
import { originOf, chooseModel, forgetModel, listModels, modelFromSetting, dropLegacyModel } from './worker/models.js';

const WASM_URL = chrome.runtime.getURL('tend-crm/wasm/tend_bg.wasm');
const ready = () => init(WASM_URL);

// Testing hooks, read by tests/e2e/extension-*.test.mjs through Playwright's worker.evaluate:
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
  list: () => pool.list().map((e) => ({ tab: e.tabId, frame: e.frameId, url: e.url, origin: e.origin ?? null, storedFrom: e.storedFrom ?? null, adapter: e.adapter, token: e.token, customers: e.info?.customers ?? null, updates: e.info?.updates ?? 0 })),
  clear: () => pool.clear(),
};

// ─── who may ask what ───
// Every message is checked before its handler runs: its type is one of HANDLERS, its sender is
// of the kind that type is for, and its fields have the expected types and sizes.
// - Page messages come from a content script: a tab, a document id, and an http(s) sender
//   origin. The page's origin is the sender's (`sender.origin`, set by the browser), never a
//   field of the message.
// - Settings messages come from the extension's own pages only (options): `sender.origin` and
//   `sender.url` are this extension's (an options page opened in a tab has `sender.tab` too, so
//   the tab is not what tells them apart; a content script's origin is its page's).

const EXT_ORIGIN = new URL(chrome.runtime.getURL('')).origin;
const MiB = 1024 * 1024;
// Chrome refuses a runtime message above 64 MiB of JSON; an export text is bounded below that
// so that the page gets this clear error instead of a failed message.
export const LIMITS = { text: 48 * MiB, ids: 100000, id: 512, token: 64, adapter: 64, asOf: 64, updates: 10000, origin: 512, policy: 64 * 1024 };

function fromExtensionPage(sender) {
  return sender.id === chrome.runtime.id && sender.origin === EXT_ORIGIN && typeof sender.url === 'string' && sender.url.startsWith(`${EXT_ORIGIN}/`);
}

// The page a message comes from: a document in a frame of a tab, its origin from the sender.
function pageOf(sender) {
  if (!sender.tab || typeof sender.documentId !== 'string') throw new PageError('only a page may ask this', { code: 'invalid_input', path: 'sender' });
  let origin;
  try {
    origin = originOf(sender.origin ?? sender.url);
  } catch {
    throw new PageError('only an http or https page may ask this', { code: 'invalid_input', path: 'sender' });
  }
  let urlOrigin = null;
  try {
    urlOrigin = originOf(sender.url);
  } catch {
    /* about:blank, srcdoc: the sender's origin stands */
  }
  if (urlOrigin && urlOrigin !== origin) throw new PageError("the sender's URL is not of its origin", { code: 'invalid_input', path: 'sender' });
  return { key: pageKey(sender.tab.id, sender.frameId), tabId: sender.tab.id, frameId: sender.frameId ?? 0, documentId: sender.documentId, url: sender.url ?? null, origin };
}

const bad = (path, what) => {
  throw new PageError(`invalid message: \`${path}\` ${what}`, { code: 'invalid_input', path });
};
function str(msg, k, max, { optional = false } = {}) {
  const v = msg[k];
  if (v === undefined && optional) return;
  if (typeof v !== 'string') bad(k, 'must be a string');
  if (v.length > max) bad(k, `is longer than ${max} characters`);
}
function ids(msg, k, { optional = true } = {}) {
  const v = msg[k];
  if (v === undefined && optional) return;
  if (!Array.isArray(v)) bad(k, 'must be an array of ids');
  if (v.length > LIMITS.ids) bad(k, `holds more than ${LIMITS.ids} ids`);
  for (const x of v) if (typeof x !== 'string' || x.length > LIMITS.id) bad(k, `must hold strings of at most ${LIMITS.id} characters`);
}
function object(msg, k) {
  if (!isObject(msg[k])) bad(k, 'must be an object');
}
function token(msg) {
  str(msg, 'token', LIMITS.token, { optional: true });
}
function originField(msg, k, { nullable = false } = {}) {
  if (nullable && msg[k] === null) return;
  str(msg, k, LIMITS.origin);
  try {
    if (originOf(msg[k]) !== msg[k]) bad(k, 'must be an origin such as https://crm.example.com');
  } catch (e) {
    if (e instanceof PageError) throw e;
    bad(k, 'must be an http or https origin');
  }
}

// type → { from: 'page' | 'extension', check(msg) }.
const CHECKS = {
  'tend:load': {
    from: 'page',
    check(m) {
      if (typeof m.text !== 'string') bad('text', 'must be the export as JSON text');
      if (m.text.length > LIMITS.text) bad('text', `is ${(m.text.length / MiB).toFixed(1)} MiB: the most Tend reads from a page is ${LIMITS.text / MiB} MiB`);
      if (m.updates !== undefined) {
        if (!Array.isArray(m.updates)) bad('updates', 'must be an array');
        if (m.updates.length > LIMITS.updates) bad('updates', `holds more than ${LIMITS.updates} updates`);
      }
      str(m, 'fallbackAsOf', LIMITS.asOf, { optional: true });
      str(m, 'adapter', LIMITS.adapter, { optional: true });
      ids(m, 'ids');
      token(m);
    },
  },
  'tend:badges': { from: 'page', check: (m) => (ids(m, 'ids'), token(m)) },
  'tend:update': { from: 'page', check: (m) => (object(m, 'changes'), ids(m, 'ids'), token(m)) },
  'tend:detail': { from: 'page', check: (m) => (str(m, 'id', LIMITS.id), token(m)) },
  'tend:list': { from: 'page', check: token },
  'tend:release': { from: 'page', check: token },
  'tend:checkPolicy': {
    from: 'extension',
    check(m) {
      if (m.policy !== undefined) object(m, 'policy');
      if (JSON.stringify(m.policy ?? {}).length > LIMITS.policy) bad('policy', 'is too large');
    },
  },
  'tend:models': { from: 'extension', check: () => {} },
  'tend:chooseModel': { from: 'extension', check: (m) => (originField(m, 'site'), originField(m, 'source', { nullable: true })) },
  'tend:forgetModel': { from: 'extension', check: (m) => originField(m, 'origin') },
  'tend:setLocalSites': {
    from: 'extension',
    check(m) {
      if (!Array.isArray(m.sites) || m.sites.length > LOCAL_SITES.length || !m.sites.every((s) => LOCAL_SITES.includes(s))) bad('sites', `must be a list of ${LOCAL_SITES.join(', ')}`);
    },
  },
};

/** The message's handler, once its type, sender and fields are checked; throws otherwise. */
function admit(msg, sender) {
  if (!isObject(msg) || typeof msg.type !== 'string' || !Object.hasOwn(CHECKS, msg.type)) {
    throw new PageError(`unknown message type ${JSON.stringify(String(msg?.type ?? '')).slice(0, 80)}`, { code: 'invalid_input', path: 'type' });
  }
  const rule = CHECKS[msg.type];
  if (rule.from === 'extension' && !fromExtensionPage(sender)) throw new PageError(`${msg.type} is accepted from the extension's own pages only`, { code: 'forbidden', path: 'sender' });
  if (rule.from === 'page' && fromExtensionPage(sender)) throw new PageError(`${msg.type} is accepted from pages only`, { code: 'forbidden', path: 'sender' });
  rule.check(msg);
  if (rule.from === 'page') {
    const from = pageOf(sender);
    return async (m, s) => {
      if (!(await localAllowed(from.origin))) throw new PageError(`Tend is not enabled on ${from.origin}: enable it in the options page`, { code: 'not_enabled', path: 'sender' });
      return HANDLERS[m.type](m, s);
    };
  }
  return HANDLERS[msg.type];
}

function engineOf(msg, sender) {
  const from = pageOf(sender);
  const entry = pool.get(from.key, from.documentId, msg.token);
  if (!entry) throw new PageError('no engine for this page: send its export again', { code: 'not_loaded', path: 'token' });
  if (entry.origin !== from.origin) throw new PageError('this engine is not of this origin', { code: 'not_loaded', path: 'token' });
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
  // Settings (extension pages only).
  'tend:checkPolicy': (msg) => checkPolicy(msg.policy ?? {}),
  'tend:models': async () => ({
    models: (await listModels()).map((m) => ({ origin: m.origin, host: m.host, customers: m.customers, asOf: m.asOf, savedAt: m.savedAt, buying: m.models?.buying ?? null })),
    modelFrom: await modelFromSetting(),
  }),
  'tend:chooseModel': async (msg) => ({ modelFrom: await chooseModel(msg.site, msg.source) }),
  'tend:forgetModel': async (msg) => {
    await forgetModel(msg.origin);
    return {};
  },
  'tend:setLocalSites': async (msg) => {
    return { localSites: await setLocalSites(msg.sites) };
  },
};

function errorOf(e) {
  if (!(e instanceof PageError) && !(e?.name === 'TendError')) console.warn('Tend:', e);
  return { message: String(e?.message ?? e), code: e?.code ?? null, path: e?.path ?? null };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (sender.id !== chrome.runtime.id) return undefined;
  let handler;
  try {
    handler = admit(msg, sender);
  } catch (e) {
    sendResponse({ ok: false, error: errorOf(e) });
    return undefined;
  }
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
  if (port.name !== 'tend:page' || s?.id !== chrome.runtime.id || !s.tab || typeof s.documentId !== 'string' || fromExtensionPage(s)) {
    port.disconnect();
    return;
  }
  const key = pageKey(s.tab.id, s.frameId);
  const doc = s.documentId;
  pool.connected(key, doc);
  port.onDisconnect.addListener(() => pool.release(key, doc));
});

chrome.tabs.onRemoved.addListener((tabId) => pool.releaseTab(tabId));

watchSites();
watchChanges();
restrictStorage();
// The single model of the old versions (used on every site) is not kept.
chrome.runtime.onInstalled.addListener(() => dropLegacyModel().catch(() => {}));
