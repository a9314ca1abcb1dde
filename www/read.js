// Reading the chosen data into bytes, in the analysis worker: a File handle (the page passes
// handles, never contents) or a URL of this origin (the bundled sample). Progress is reported
// through `progress(stage, label, loaded, total, force)`.

/** A problem the page shows as it is: `details` may name the `file`, `line`, `column`, `path`. */
export class PageError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.details = details;
  }
}

// Read a stream into one Uint8Array. `total` may be unknown (null).
async function readStream(stream, total, label, progress) {
  const reader = stream.getReader();
  let buf = total != null ? new Uint8Array(total) : null;
  const chunks = [];
  let loaded = 0;
  progress('read', label, 0, total, true);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (buf && loaded + value.length <= buf.length) buf.set(value, loaded);
    else {
      if (buf) {
        chunks.push(buf.subarray(0, loaded));
        buf = null;
      }
      chunks.push(value);
    }
    loaded += value.length;
    progress('read', label, loaded, total);
  }
  progress('read', label, loaded, total ?? loaded, true);
  if (buf) return loaded === buf.length ? buf : buf.subarray(0, loaded);
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The bytes of a File. */
export async function readFile(file, progress) {
  try {
    return await readStream(file.stream(), file.size, `Reading ${file.name}`, progress);
  } catch (e) {
    throw new PageError(`${file.name}: the file cannot be read (${e.message})`, { file: file.name });
  }
}

/** The bytes at a URL (of this origin). */
export async function readUrl(url, name, progress) {
  const res = await fetch(url);
  if (!res.ok) throw new PageError(`${name}: cannot be loaded (HTTP ${res.status})`, { file: name });
  const len = Number(res.headers.get('content-length'));
  const known = Number.isFinite(len) && len > 0 && !res.headers.get('content-encoding');
  return readStream(res.body, known ? len : null, `Loading ${name}`, progress);
}
