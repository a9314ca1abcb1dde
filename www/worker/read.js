// Reading the chosen data into bytes, in the analysis worker: a File handle (the page passes
// handles, never contents) or a URL of this origin (the bundled sample); the source as Tend.load
// takes it, and a load's error named by its file. Progress is reported through
// `progress(stage, label, loaded, total, force)`.
import { isTendError } from '../../pkg/core.js';
import { PageError } from '../protocol.js';
import { TABLES } from '../shared.js';

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

// The source as Tend.load takes it, and what to name its files by.
export async function readSource(source, progress) {
  const src = { kind: source.kind, name: source.name, files: [], bytes: 0, tables: {} };
  if (source.kind === 'url' || source.kind === 'json') {
    const bytes = source.kind === 'url' ? await readUrl(source.url, source.name, progress) : await readFile(source.file, progress);
    src.files = [source.name];
    src.bytes = bytes.length;
    return { src, input: bytes };
  }
  if (source.kind !== 'csv') throw new PageError(`unknown source ${source.kind}`);
  const seen = {};
  for (const { file, table } of source.files) {
    if (!TABLES[table]) throw new PageError(`${file.name}: choose which table this file holds`, { file: file.name });
    if (seen[table]) throw new PageError(`${seen[table]} and ${file.name} are both for the ${table} table: give one file per table`, { file: file.name });
    seen[table] = file.name;
  }
  if (!seen.customers) throw new PageError('No customers file: a CSV set needs customers.csv (id, name, owner, …) besides the other tables', {});
  const csv = {};
  for (const { file, table } of source.files) {
    csv[table] = await readFile(file, progress);
    src.bytes += csv[table].length;
    src.tables[table] = file.name;
    src.files.push(file.name);
  }
  return { src, input: { csv } };
}

// A TendError of the load, named by its file (`data…` is the JSON file, `csv.<table>` a CSV one).
export function loadError(e, src) {
  if (!isTendError(e)) return e;
  const table = /^csv\.(\w+)/.exec(e.path)?.[1];
  const file = e.path.startsWith('options') ? null : table ? (src.tables[table] ?? null) : src.kind === 'csv' ? null : src.name;
  const lc = /line (\d+) column (\d+)/.exec(e.message);
  return new PageError(file ? `${file}: ${e.message}` : e.message, {
    file,
    code: e.code,
    path: e.path,
    line: lc ? Number(lc[1]) : null,
    column: lc ? Number(lc[2]) : null,
  });
}
