// Tend content script: the page's session with the service worker, which keeps one engine per
// page. `load()` sends the export (and the updates to replay on it) and receives the engine's
// token; every other request names that token. A port (`tend:page`) stays open while the
// document lives, so that its engine is freed when the document goes. When the worker lost the
// engine (Chrome stopped the idle worker, or it freed the least recently used one), a request is
// answered `not_loaded`, and `ask()` loads the page again, once, through `reload`.
(() => {
  'use strict';
  if (globalThis.TendSession) return;

  class Session {
    #port = null;
    token = null;

    /** `reload()`: load the page again (it calls `load()`); `onDead()`: the extension went away. */
    constructor({ reload, onDead }) {
      this.reload = reload;
      this.onDead = onDead;
    }

    get loaded() {
      return this.token !== null;
    }

    #connect() {
      if (this.#port) return;
      const port = chrome.runtime.connect({ name: 'tend:page' });
      port.onDisconnect.addListener(() => {
        void chrome.runtime.lastError;
        if (this.#port === port) this.#port = null;
        this.token = null;
        if (!chrome.runtime?.id) this.onDead();
      });
      this.#port = port;
    }

    async #send(type, body) {
      this.#connect();
      const resp = await chrome.runtime.sendMessage({ ...body, type, token: this.token ?? undefined });
      return resp ?? { ok: false, error: { message: 'no answer from the Tend worker', code: null } };
    }

    /** Load the page: `{ text, updates, fallbackAsOf, adapter, ids }` → `{ ok, page, rows }`. */
    async load(body) {
      this.token = null;
      const resp = await this.#send('tend:load', body);
      if (resp.ok) this.token = resp.page.token;
      return resp;
    }

    /** A request to the page's engine; `not_loaded` is answered by loading the page again. */
    async ask(type, body = {}) {
      if (this.loaded) {
        const resp = await this.#send(type, body);
        if (resp.ok || resp.error?.code !== 'not_loaded') return resp;
        this.token = null;
      }
      const loaded = await this.reload();
      if (!loaded?.ok) return loaded ?? { ok: false, error: { message: 'the page could not be loaded', code: null } };
      return this.#send(type, body);
    }

    /** A request that is not retried (`not_loaded` is returned as it is). */
    once(type, body = {}) {
      if (!this.loaded) return Promise.resolve({ ok: false, error: { message: 'not loaded', code: 'not_loaded' } });
      return this.#send(type, body);
    }

    /** The page holds no records any more: free its engine. */
    async release() {
      if (!this.loaded) return;
      this.token = null;
      await chrome.runtime.sendMessage({ type: 'tend:release' }).catch(() => {});
    }

    /** The document came back from the back/forward cache: its port and engine are gone. */
    restored() {
      this.#port?.disconnect();
      this.#port = null;
      this.token = null;
    }
  }

  globalThis.TendSession = Session;
})();
