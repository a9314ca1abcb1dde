// The page's side of the analysis worker (worker/index.js): one `AnalysisWorker` per load,
// requests (protocol.js) as promises. `session` is what is shown: the worker whose engine
// answers, and its summary.
import { PROGRESS, ERROR } from './protocol.js';

export class AnalysisWorker {
  constructor() {
    this.worker = new Worker(new URL('./worker/index.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.seq = 0;
    this.onprogress = null;
    this.dead = false;
    this.worker.onmessage = (e) => this.receive(e.data);
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.failAll(new Error(`The analysis worker stopped: ${e.message || 'it could not start or ran out of memory'}`));
    };
    this.worker.onmessageerror = () => this.failAll(new Error('A message from the analysis worker could not be read'));
  }

  /** Ask the worker; resolves with its reply, rejects with an Error carrying `details`. */
  call(type, payload = {}) {
    if (this.dead) return Promise.reject(new Error('The analysis worker has stopped'));
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type, id, ...payload });
    });
  }

  receive(d) {
    if (d.type === PROGRESS) {
      this.onprogress?.(d);
      return;
    }
    const p = this.pending.get(d.id);
    if (!p) return;
    this.pending.delete(d.id);
    if (d.type === ERROR) p.reject(Object.assign(new Error(d.error.message), { details: d.error }));
    else p.resolve(d);
  }

  failAll(err) {
    this.dead = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  terminate() {
    this.worker.terminate();
    this.failAll(Object.assign(new Error('cancelled'), { cancelled: true }));
  }
}

/** What the page shows: the worker holding the engine, its summary, the source it was loaded from. */
export const session = { worker: null, summary: null, source: null };

/** Ask the shown engine's worker (rejects when nothing is loaded). */
export function ask(type, payload) {
  if (!session.worker) return Promise.reject(new Error('No data is loaded'));
  return session.worker.call(type, payload);
}
