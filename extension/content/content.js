// Tend content script: reads the page through an adapter, has the extension's service worker
// load it into an engine of its own (WebAssembly never runs in the page, so a page whose CSP
// forbids wasm still gets its badges), and puts one badge on every customer row.
//
// Re-renders: a MutationObserver notices rows being rebuilt; the work is debounced and batched.
// The adapter's fingerprint of the records is compared with the last one: only a change (or
// changed settings) reads the export and sends it to be loaded — otherwise the badges already
// received are re-applied to the new rows, and only ids never seen are asked for. Duplicated
// badges (a row cloned with its badge, which loses its shadow root) are removed: exactly one
// per row. A tooltip's details are asked for when it opens.
//
// Updates: a page that changed a few records posts them —
//   window.postMessage({ type: 'tend:update', upsert: { table: [rows] }, remove: { table: [ids] } })
// — and they are applied to its engine (no reload); the badges of the changed customers are
// refreshed. The export stays the page's truth: a page that also rewrites its export (before
// posting, in the same task) is taken to include the update in it; the updates posted while the
// export stayed as it was are replayed on it whenever it is loaded again.
(() => {
  'use strict';
  if (globalThis.__tendContent) return;
  globalThis.__tendContent = true;

  const Badge = globalThis.TendBadge;
  const adapters = globalThis.TendAdapters ?? [];
  const DEBOUNCE_MS = 60;
  const MAX_WAIT_MS = 400;
  const OBSERVE = { childList: true, subtree: true, characterData: true };
  const MAX_TEXT = 48 * 1024 * 1024;

  const state = {
    adapter: null,
    fingerprint: null, // the adapter's fingerprint of the export the engine holds
    updates: [], // updates posted since the export last changed: replayed on each load
    inbox: [], // updates posted, not applied yet
    loadedEpoch: -1, // the settings epoch of the engine
    page: null, // the engine's page info: { token, asOf, customers, rejected, models, … }
    byId: new Map(), // customer id → compact row (null: not among the page's customers)
    details: new Map(), // customer id → tooltip details
    error: null,
    epoch: 0,
    sessionAsOf: new Date().toISOString(), // asOf for exports that carry none: fixed per page load
    lock: Promise.resolve(), // worker requests, one at a time
    running: null,
    again: false,
    timer: 0,
    firstAsk: 0,
    dead: false,
  };

  let started = false; // false until the end of this script, and on a local page disabled while open
  const session = new globalThis.TendSession({ reload: () => load(state.adapter?.snapshot(document)), onDead: shutdown });

  const observer = new MutationObserver((records) => {
    if (records.some(relevant)) schedule();
  });

  // Our own badges coming and going are not a change of the page.
  function relevant(rec) {
    if (rec.type === 'characterData') return true;
    for (const list of [rec.addedNodes, rec.removedNodes]) {
      for (const n of list) if (!Badge.isOurs(n)) return true;
    }
    return false;
  }

  function schedule() {
    if (state.dead || !started) return;
    const now = performance.now();
    if (!state.firstAsk) state.firstAsk = now;
    clearTimeout(state.timer);
    const wait = Math.max(0, Math.min(DEBOUNCE_MS, state.firstAsk + MAX_WAIT_MS - now));
    state.timer = setTimeout(() => {
      state.timer = 0;
      state.firstAsk = 0;
      run();
    }, wait);
  }

  function serial(fn) {
    const p = state.lock.then(fn);
    state.lock = p.catch(() => {});
    return p;
  }

  const invalidated = (e) => /Extension context invalidated/i.test(String(e?.message));

  // One pass at a time (updates first); a change during a pass triggers one more.
  function run() {
    if (!started) return Promise.resolve();
    if (state.running) {
      state.again = true;
      return state.running;
    }
    state.running = (async () => {
      try {
        do {
          state.again = false;
          while (state.inbox.length && !state.dead) await serial(() => applyUpdate(state.inbox.shift()));
          await serial(pass);
        } while (state.again && !state.dead);
      } catch (e) {
        if (invalidated(e)) shutdown();
        else console.warn('Tend:', e);
      } finally {
        state.running = null;
      }
    })();
    return state.running;
  }

  function detect() {
    const adapter = adapters.find((a) => {
      try {
        return a.detect(document);
      } catch {
        return false;
      }
    });
    state.adapter = adapter ?? null;
    return state.adapter;
  }

  const rowIds = (adapter) => [...new Set(adapter.rows(document).map((r) => r.id))];

  // Send the export (and the updates to replay) to be loaded; `snap` is the adapter's snapshot.
  async function load(snap) {
    const adapter = state.adapter;
    if (!adapter || !snap) return null;
    if (snap.fingerprint !== state.fingerprint) state.updates = [];
    const epoch = state.epoch;
    const records = snap.read();
    const text = typeof records === 'string' ? records : JSON.stringify(records);
    // The worker reads at most MAX_TEXT (background.js LIMITS.text); Chrome drops a message
    // above 64 MiB, so a larger export is refused here with the same message.
    const resp = text.length > MAX_TEXT
      ? { ok: false, error: { message: `invalid message: \`text\` is ${(text.length / 1048576).toFixed(1)} MiB: the most Tend reads from a page is ${MAX_TEXT / 1048576} MiB`, code: 'invalid_input' } }
      : await session.load({
      text,
      updates: state.updates,
      fallbackAsOf: state.sessionAsOf,
      adapter: adapter.name,
      ids: rowIds(adapter),
    });
    state.fingerprint = snap.fingerprint;
    state.loadedEpoch = epoch;
    state.details.clear();
    if (resp.ok) {
      state.page = resp.page;
      state.byId = new Map(resp.rows);
      state.error = null;
    } else {
      state.page = null;
      state.byId = new Map();
      state.error = resp.error ?? { message: 'no answer from the Tend worker' };
      console.warn('Tend: the page could not be scored:', state.error.message);
    }
    return resp;
  }

  async function pass() {
    const adapter = detect();
    if (!adapter) {
      if (state.page) {
        state.page = null;
        state.fingerprint = null;
        state.byId = new Map();
        await session.release();
      }
      return;
    }
    const snap = adapter.snapshot(document);
    if (snap.fingerprint !== state.fingerprint || state.loadedEpoch !== state.epoch) {
      await load(snap);
    } else if (state.page) {
      const missing = rowIds(adapter).filter((id) => !state.byId.has(id));
      if (missing.length) {
        const resp = await session.ask('tend:badges', { ids: missing });
        if (resp.ok) for (const [id, row] of resp.rows) state.byId.set(id, row);
      }
    }
    apply(adapter);
  }

  // Changes the page posted: applied to its engine, or loaded with the export when there is no
  // engine to apply them to.
  async function applyUpdate(changes) {
    const adapter = detect();
    if (!adapter) return;
    const snap = adapter.snapshot(document);
    const rewritten = snap.fingerprint !== state.fingerprint;
    if (state.page && session.loaded && state.loadedEpoch === state.epoch) {
      const resp = await session.once('tend:update', { changes, ids: rowIds(adapter) });
      if (resp.ok) {
        if (rewritten) state.updates = [];
        else state.updates.push(changes);
        state.fingerprint = snap.fingerprint;
        state.page = resp.page;
        for (const id of resp.changed) state.details.delete(id);
        for (const [id, row] of resp.rows) state.byId.set(id, row);
        apply(adapter);
        return;
      }
      if (resp.error?.code !== 'not_loaded') {
        // Unreadable: nothing changed. The export, if it changed, is loaded as it is.
        console.warn('Tend: the update was refused:', resp.error?.message);
        if (!rewritten) return;
        await load(snap);
        apply(adapter);
        return;
      }
    }
    // No engine to apply it to: load the export, and replay the update on it unless the page
    // rewrote the export (then it holds the update).
    if (!rewritten) state.updates.push(changes);
    await load(snap);
    apply(adapter);
  }

  // Exactly one badge per row, in one batch of DOM writes with the observer paused.
  function apply(adapter) {
    const pending = observer.takeRecords();
    observer.disconnect();
    try {
      if (pending.some(relevant)) state.again = true;
      const rows = adapter.rows(document);
      const rowEls = new Set(rows.map((r) => r.el));
      // The row a badge belongs to: its nearest marked ancestor (rows may be nested).
      const rowOf = (h) => {
        for (let p = h.parentElement; p; p = p.parentElement) if (rowEls.has(p)) return p;
        return null;
      };
      for (const { el, id, slot } of rows) {
        let keep = null;
        for (const h of el.querySelectorAll(`${Badge.TAG}, [data-tend-badge]`)) {
          if (rowOf(h) !== el) continue;
          if (!keep && Badge.isOurs(h)) keep = h;
          else h.remove();
        }
        if (!state.page) {
          keep?.remove();
          continue;
        }
        if (!keep) {
          keep = Badge.create(details);
          slot.append(keep);
        }
        Badge.update(keep, id, state.byId.get(id) ?? null, state.page.models);
      }
    } finally {
      observer.observe(document.documentElement, OBSERVE);
    }
  }

  // A tooltip's details, asked for when it opens (kept until the customer changes).
  function details(id) {
    if (state.details.has(id)) return Promise.resolve(state.details.get(id));
    return serial(async () => {
      if (!state.page) return null;
      const resp = await session.ask('tend:detail', { id });
      if (!resp.ok) return null;
      state.details.set(id, resp.detail);
      return resp.detail;
    }).catch((e) => {
      if (invalidated(e)) shutdown();
      return null;
    });
  }

  function shutdown() {
    state.dead = true;
    observer.disconnect();
    clearTimeout(state.timer);
  }

  // The popup's answer: the page info and the customers at high or critical risk.
  async function list() {
    if (!started) return { ok: true, adapter: null, url: location.href, rows: 0, customers: 0, asOf: null, models: null, rejected: 0, atRisk: [], error: null, disabled: true };
    if (state.timer || state.running || state.inbox.length || state.loadedEpoch < 0) {
      clearTimeout(state.timer);
      state.timer = 0;
      state.firstAsk = 0;
      await run();
    }
    const rows = state.adapter ? state.adapter.rows(document).length : 0;
    const base = { ok: true, adapter: state.adapter?.name ?? null, url: location.href, rows, error: state.error };
    if (!state.page) return { ...base, customers: 0, asOf: null, models: null, rejected: 0, atRisk: [] };
    const resp = await serial(() => session.ask('tend:list'));
    if (!resp.ok) return { ...base, customers: 0, asOf: null, models: null, rejected: 0, atRisk: [], error: resp.error };
    const p = resp.page;
    return { ...base, customers: p.customers, asOf: p.asOf, models: p.models, rejected: p.rejected, notEvaluated: p.notEvaluated ?? [], atRisk: resp.atRisk };
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || state.dead) return undefined;
    if (msg?.type === 'tend:list') {
      list().then(sendResponse, (e) => sendResponse({ ok: false, error: { message: String(e?.message ?? e) } }));
      return true;
    }
    if (msg?.type === 'tend:changed' && !sender.tab) {
      changed(msg);
      return undefined;
    }
    if (msg?.type === 'tend:reveal') {
      const row = state.adapter?.rows(document).find((r) => r.id === msg.id);
      if (row) {
        row.el.scrollIntoView({ block: 'center', behavior: 'smooth' });
        const host = [...row.el.querySelectorAll(Badge.TAG)].find(Badge.isOurs);
        if (host) setTimeout(() => Badge.reveal(host), 400);
      }
      sendResponse({ ok: Boolean(row) });
      return undefined;
    }
    return undefined;
  });

  // Changes the page publishes (only from this window's own scripts).
  window.addEventListener('message', (e) => {
    if (e.source !== window || state.dead) return;
    const d = e.data;
    if (d === null || typeof d !== 'object' || d.type !== 'tend:update') return;
    const isTable = (v) => v === undefined || (v !== null && typeof v === 'object' && !Array.isArray(v));
    if (!isTable(d.upsert) || !isTable(d.remove)) {
      console.warn('Tend: ignored a tend:update message: `upsert` and `remove` must be objects of arrays by table');
      return;
    }
    state.inbox.push({ upsert: d.upsert, remove: d.remove });
    run();
  });

  // Back from the back/forward cache: the worker freed the engine when the page left.
  window.addEventListener('pageshow', (e) => {
    if (e.persisted) session.restored();
  });

  // The worker's `tend:changed` (this script cannot read chrome.storage: worker/changes.js).
  // New settings or a newly stored buying model (this site's, or the site's whose model the
  // user chose for this one): load again (the worker answers from the page's engine when
  // nothing that matters changed: the model it uses is picked there, by this page's origin).
  // A local page disabled while open stops; enabled again, it starts.
  function changed(msg) {
    if (msg.settings || (msg.models && state.page?.models?.source !== 'fitted')) {
      state.epoch += 1;
      schedule();
    }
    if (localPattern && Array.isArray(msg.localSites)) {
      if (msg.localSites.includes(localPattern)) start();
      else stop();
    }
  }

  // This script is registered only on the sites and local pages (127.0.0.1, localhost) the user
  // enabled (worker/sites.js), so it starts at once; a local page stops when the user disables
  // it while it is open (`changed`; the worker refuses a local page that is not enabled too).
  const LOCAL = ['127.0.0.1', 'localhost'];
  const localPattern = LOCAL.includes(location.hostname) ? `${location.protocol}//${location.hostname}/*` : null;
  function start() {
    if (started || state.dead) return;
    started = true;
    observer.observe(document.documentElement, OBSERVE);
    run();
  }
  async function stop() {
    if (!started) return;
    started = false;
    observer.disconnect();
    clearTimeout(state.timer);
    state.page = null;
    state.byId = new Map();
    state.fingerprint = null;
    await serial(() => session.release()).catch(() => {});
    for (const h of document.querySelectorAll(Badge.TAG)) if (Badge.isOurs(h)) h.remove();
  }
  start();
})();
