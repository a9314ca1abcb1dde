// Cache keys for the service worker: SHA-256 (crypto.subtle.digest) of a text, computed here,
// in the worker, never taken from a message. `keyOf` is the one place a key of a text is made.

const enc = new TextEncoder();

/** The SHA-256 of `text` (UTF-8), as 64 hex digits. */
export async function sha256(text) {
  const bytes = await crypto.subtle.digest('SHA-256', enc.encode(String(text)));
  let out = '';
  for (const b of new Uint8Array(bytes)) out += b.toString(16).padStart(2, '0');
  return out;
}

/** The key of a text (an export, a model, the options of a load). */
export async function keyOf(text) {
  return sha256(text);
}
