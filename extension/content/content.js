// Tend content script: reads the page through an adapter, has the extension's service worker
// score it (WebAssembly never runs in the page, so a page whose CSP forbids wasm still gets its
// badges), and puts one badge on every customer row.
//
// Re-renders: a MutationObserver notices rows being rebuilt; the work is debounced and batched.
// The adapter's fingerprint of the records is compared with the last one: only a change (or
// changed settings) reads the export and sends it, with its hash, to be scored (the worker
// caches results by hash) — otherwise the cached result is only re-applied to the new rows. Duplicated badges (a row
// cloned with its badge, which loses its shadow root) are removed: exactly one per row.
(() => {
  'use strict';
  if (globalThis.__tendContent) return;
  globalThis.__tendContent = true;

  const Badge = globalThis.TendBadge;
  const adapters = globalThis.TendAdapters ?? [];
  const DEBOUNCE_MS = 60;
  const MAX_WAIT_MS = 400;
  const OBSERVE = { childList: true, subtree: true, characterData: true };

  const state = {
    adapter: null,
    fingerprint: null, // the adapter's fingerprint of the records behind `result`
    scoredEpoch: -1, // the settings epoch of `result`
    result: null, // the worker's summary: { asOf, models, customers[], input }
    byId: new Map(),
    error: null,
    epoch: 0,
    sessionAsOf: new Date().toISOString(), // asOf for exports that carry none: fixed per page load
    running: null,
    again: false,
    timer: 0,
    firstAsk: 0,
    dead: false,
  };

  const hash = globalThis.tendHash;

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
    if (state.dead) return;
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

  // One pass at a time; a change during a pass triggers one more.
  function run() {
    if (state.running) {
      state.again = true;
      return state.running;
    }
    state.running = (async () => {
      try {
        do {
          state.again = false;
          await pass();
        } while (state.again && !state.dead);
      } catch (e) {
        if (/Extension context invalidated/i.test(String(e?.message))) shutdown();
        else console.warn('Tend:', e);
      } finally {
        state.running = null;
      }
    })();
    return state.running;
  }

  async function pass() {
    const adapter = adapters.find((a) => {
      try {
        return a.detect(document);
      } catch {
        return false;
      }
    });
    state.adapter = adapter ?? null;
    if (!adapter) return;
    const snap = adapter.snapshot(document);
    if (snap.fingerprint !== state.fingerprint || state.scoredEpoch !== state.epoch) {
      const epoch = state.epoch;
      const records = snap.read();
      const text = typeof records === 'string' ? records : JSON.stringify(records);
      const exportHash = hash(text);
      const resp = await chrome.runtime.sendMessage({
        type: 'tend:analyze',
        hash: exportHash,
        text,
        fallbackAsOf: state.sessionAsOf,
        adapter: adapter.name,
      });
      state.fingerprint = snap.fingerprint;
      state.scoredEpoch = epoch;
      if (resp?.ok) {
        state.result = resp.result;
        state.byId = new Map(resp.result.customers.map((c) => [c.id, c]));
        state.error = null;
      } else {
        state.result = null;
        state.byId = new Map();
        state.error = resp?.error ?? { message: 'no answer from the Tend worker' };
        console.warn('Tend: the page could not be scored:', state.error.message);
      }
    }
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
        if (!state.result) {
          keep?.remove();
          continue;
        }
        if (!keep) {
          keep = Badge.create();
          slot.append(keep);
        }
        Badge.update(keep, id, state.byId.get(id) ?? null, state.result.models);
      }
    } finally {
      observer.observe(document.documentElement, OBSERVE);
    }
  }

  function shutdown() {
    state.dead = true;
    observer.disconnect();
    clearTimeout(state.timer);
  }

  function atRisk() {
    const r = state.result;
    if (!r) return [];
    return r.customers
      .filter((c) => c.risk.level === 'high' || c.risk.level === 'critical')
      .sort((a, b) => b.risk.score - a.risk.score || b.priority - a.priority || (a.id < b.id ? -1 : 1))
      .map((c) => ({ id: c.id, name: c.name, owner: c.owner, risk: c.risk, health: c.health, flags: c.flags, action: c.action }));
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (sender.id !== chrome.runtime.id || state.dead) return undefined;
    if (msg?.type === 'tend:list') {
      (async () => {
        if (state.timer || state.running || state.scoredEpoch < 0) {
          clearTimeout(state.timer);
          state.timer = 0;
          state.firstAsk = 0;
          await run();
        }
        const rows = state.adapter ? state.adapter.rows(document).length : 0;
        return {
          ok: true,
          adapter: state.adapter?.name ?? null,
          url: location.href,
          rows,
          customers: state.result?.customers.length ?? 0,
          asOf: state.result?.asOf ?? null,
          models: state.result?.models ?? null,
          rejected: state.result?.input.rejected ?? 0,
          atRisk: atRisk(),
          error: state.error,
        };
      })().then(sendResponse, (e) => sendResponse({ ok: false, error: { message: String(e?.message ?? e) } }));
      return true;
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

  // New settings or a newly stored buying model: score again (the worker's cache decides
  // whether that costs an analysis).
  chrome.storage.onChanged.addListener((changes, area) => {
    const settings = area === 'sync' && (changes.policy || changes.reuseModel);
    const model = area === 'local' && changes.model && state.result?.models?.source !== 'fitted';
    if (settings || model) {
      state.epoch += 1;
      schedule();
    }
  });

  observer.observe(document.documentElement, OBSERVE);
  run();
})();
