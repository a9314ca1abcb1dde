// The live engines: one `Tend` engine per page — a document in a frame of a tab — keyed by
// `tabId:frameId` and holding that document's id. A new document in the same frame (the tab
// navigated), the page's port closing (unload, back/forward cache), the tab closing, or the
// content script replacing its export frees the engine. At most `max` engines live; loading one
// more frees the least recently used (its page loads again when it next asks).

export const pageKey = (tabId, frameId) => `${tabId}:${frameId ?? 0}`;

export class EnginePool {
  /** `max()`: the bound, read on each insertion; `onFree(entry, why)`: after an engine is freed. */
  constructor({ max, onFree }) {
    this.max = max;
    this.onFree = onFree ?? (() => {});
    this.entries = new Map(); // key → entry, least recently used first
    this.gone = new Set(); // documents that unloaded (bounded): a late load for one is not kept
  }

  get size() {
    return this.entries.size;
  }

  /** The entry of `key` for document `documentId` (and engine `token`, when given), marked used. */
  get(key, documentId, token) {
    const e = this.entries.get(key);
    if (!e || e.documentId !== documentId || (token !== undefined && e.token !== token)) return null;
    this.entries.delete(key);
    this.entries.set(key, e);
    return e;
  }

  /** Keep `entry` (`{ key, documentId, tend, … }`), freeing the one it replaces and the LRU. */
  put(entry) {
    if (this.gone.has(entry.documentId)) {
      entry.tend.free();
      this.onFree(entry, 'unloaded');
      return false;
    }
    const old = this.entries.get(entry.key);
    if (old) this.#free(old, old.documentId === entry.documentId ? 'replaced' : 'navigated');
    this.entries.set(entry.key, entry);
    const max = Math.max(1, this.max());
    for (const e of this.entries.values()) {
      if (this.entries.size <= max) break;
      if (e !== entry) this.#free(e, 'evicted');
    }
    return true;
  }

  /** A document unloaded (its port closed) or dropped its export: free its engine. */
  release(key, documentId, why = 'unloaded') {
    if (why === 'unloaded') {
      this.gone.add(documentId);
      if (this.gone.size > 256) this.gone.delete(this.gone.values().next().value);
    }
    const e = this.entries.get(key);
    if (e && e.documentId === documentId) this.#free(e, why);
  }

  /** Document `documentId` connected (loaded, or back from the back/forward cache): another
   *  document's engine in this frame goes. */
  connected(key, documentId) {
    this.gone.delete(documentId);
    const e = this.entries.get(key);
    if (e && e.documentId !== documentId) this.#free(e, 'navigated');
  }

  releaseTab(tabId) {
    for (const e of [...this.entries.values()]) if (e.tabId === tabId) this.#free(e, 'closed');
  }

  clear(why = 'cleared') {
    for (const e of [...this.entries.values()]) this.#free(e, why);
  }

  list() {
    return [...this.entries.values()];
  }

  #free(e, why) {
    this.entries.delete(e.key);
    e.tend.free();
    this.onFree(e, why);
  }
}
