// Keys for the service worker: a 53-bit string hash (two 32-bit lanes), fast enough for a
// megabyte of JSON. `keyOf` is the one place a cache key is made (async, so that it can become
// SHA-256 through crypto.subtle.digest without changing its callers).

export function hash(s) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** The key of a text (an export, a model, the options of a load). */
export async function keyOf(text) {
  return hash(text);
}
