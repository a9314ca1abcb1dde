// The messages between the page (client.js) and the analysis worker (worker/index.js), and the
// error both sides name a problem with. No DOM, no worker globals, no imports: imported by both,
// and by the extension's service worker (scripts/extension.sh copies this file into its build).
//
// Requests (page → worker): {type, id, ...payload}, `type` one of REQUESTS:
//   warm · load {source, options} · summary · worklist {q} · customers {q} · customer {customerId} ·
//   history {customerId, weeks} · customerDrivers {customerId} · changes {q} · drivers ·
//   rejected {offset, limit} · export {q} · facets
// Replies (worker → page): {type: REPLY, id, ...answer} · {type: ERROR, id, error: ErrorDetails} ·
//   {type: PROGRESS, stage, label, loaded?, total?} (no id: the run's progress)
// ErrorDetails: {message, file?, line?, column?, code?, path?, list?}

export const REQUESTS = Object.freeze([
  'warm', 'load', 'summary', 'worklist', 'customers', 'customer', 'history', 'customerDrivers',
  'changes', 'drivers', 'rejected', 'export', 'facets',
]);

export const REPLY = 'reply';
export const ERROR = 'error';
export const PROGRESS = 'progress';

/**
 * A problem shown as it is: `details` may name the `file`, `line`, `column`, `path` and a `code`
 * (the extension's: `invalid_input`, `forbidden`, `not_loaded`, `not_enabled`).
 */
export class PageError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.details = details;
  }

  get code() {
    return this.details.code ?? null;
  }

  get path() {
    return this.details.path ?? null;
  }
}
