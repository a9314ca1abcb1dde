// The policy an envelope `{ asOf, policy, data }` carries, read from its JSON bytes without
// parsing the data: the top-level keys are walked and only the `policy` value is parsed. When
// `policy` comes before `data` (as exports write it) the data is never scanned; otherwise the
// data is skipped byte by byte. The engine's summary does not give the policy in force yet, so
// the worker completes this one with the engine's defaults (see state.js).

const isWs = (c) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipWs(b, i) {
  while (i < b.length && isWs(b[i])) i++;
  return i;
}

// The end (exclusive) of the JSON string that starts at b[i] (a quote), or -1.
function stringEnd(b, i) {
  for (i++; i < b.length; i++) {
    if (b[i] === 0x5c) i++;
    else if (b[i] === 0x22) return i + 1;
  }
  return -1;
}

// The end (exclusive) of the JSON value that starts at b[i], or -1.
function valueEnd(b, i) {
  if (b[i] === 0x22) return stringEnd(b, i);
  if (b[i] !== 0x7b && b[i] !== 0x5b) {
    while (i < b.length && b[i] !== 0x2c && b[i] !== 0x7d && b[i] !== 0x5d && !isWs(b[i])) i++;
    return i;
  }
  let depth = 0;
  for (; i < b.length; i++) {
    const c = b[i];
    if (c === 0x22) {
      i = stringEnd(b, i) - 1;
      if (i < 0) return -1;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (--depth === 0) return i + 1;
    }
  }
  return -1;
}

/** The `policy` of the envelope in `bytes` (UTF-8 JSON), or null (no envelope, no policy). */
export function envelopePolicy(bytes) {
  const dec = new TextDecoder();
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let i = skipWs(bytes, bom ? 3 : 0);
  if (bytes[i] !== 0x7b) return null;
  let policy;
  let data = false;
  try {
    for (i++; ; ) {
      i = skipWs(bytes, i);
      if (bytes[i] !== 0x22) return null;
      const keyEnd = stringEnd(bytes, i);
      if (keyEnd < 0) return null;
      const key = JSON.parse(dec.decode(bytes.subarray(i, keyEnd)));
      i = skipWs(bytes, keyEnd);
      if (bytes[i] !== 0x3a) return null;
      i = skipWs(bytes, i + 1);
      if (key === 'data') {
        data = true;
        if (policy !== undefined) break;
      }
      const end = valueEnd(bytes, i);
      if (end < 0) return null;
      if (key === 'policy') {
        policy = JSON.parse(dec.decode(bytes.subarray(i, end)));
        if (data) break;
      }
      i = skipWs(bytes, end);
      if (bytes[i] !== 0x2c) break;
      i++;
    }
  } catch {
    return null;
  }
  return data && policy !== undefined && policy !== null ? policy : null;
}
