// The analysis worker (a module Web Worker, started by client.js). It holds one Tend engine: it
// reads the chosen files itself (the page passes File handles, never their contents) and loads
// their bytes into the engine — a JSON export as it is, a CSV set as one file per table, both
// parsed inside WebAssembly. The page then asks for what it shows, and gets only that: the
// summary, a page of the worklist, of the customers list or of the rejected rows, one customer,
// the worklist as a CSV Blob. The report is never built. The messages are those of protocol.js.
//   read.js     the files and URLs into bytes, the source as Tend.load takes it, load errors
//   state.js    the engine, the load, its summary, progress
//   queries.js  the answers, one handler per request type
import { isTendError } from '../../pkg/core.js';
import { PageError, REPLY, ERROR } from '../protocol.js';
import { HANDLERS } from './queries.js';

// An error as the page gets it (ErrorDetails of protocol.js).
function errorOf(e) {
  if (e instanceof PageError) return { message: e.message, ...e.details };
  if (isTendError(e)) return { message: e.message, code: e.code, path: e.path };
  if (e instanceof RangeError || /memory/i.test(String(e?.message))) {
    return { message: `Out of memory in the analysis worker (${e.message}). Try a smaller export.` };
  }
  return { message: String(e?.message ?? e) };
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const handler = HANDLERS[msg.type];
    if (!handler) throw new PageError(`unknown message ${msg.type}`);
    const out = await handler(msg);
    self.postMessage({ type: REPLY, id: msg.id, ...out });
  } catch (e) {
    self.postMessage({ type: ERROR, id: msg.id, error: errorOf(e) });
  }
};
