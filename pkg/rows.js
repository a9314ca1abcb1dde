// Host objects to JSON text for the core, row by row. Only the contract's fields of a row are
// read, so an unknown field is ignored whatever it holds (a cycle, 10,000 levels, a getter, a
// function, a symbol); a field's value is taken shallowly (an object or array inside a field
// arrives as an empty one: the core only needs its type). A row that cannot be read — a getter
// that throws, a `Proxy` that refuses, a `BigInt` no number holds exactly — is sent as a marked
// row that the core rejects in its place (code `unreadable`, naming its table, index, id and
// field); the rest of the call goes on.

import { messageOf, tendError } from './errors.js';

/** The contract's fields of each table (as `src/input/row.rs` lists them; a test checks). */
export const FIELDS = {
  customers: ['id', 'name', 'owner', 'createdAt', 'segment', 'referredBy'],
  orders: ['id', 'customerId', 'at', 'amount', 'kind'],
  contacts: ['id', 'customerId', 'at', 'direction', 'channel', 'status', 'owner'],
  complaints: ['id', 'customerId', 'openedAt', 'severity', 'category', 'firstResponseAt', 'resolvedAt'],
  promises: ['id', 'customerId', 'madeAt', 'dueAt', 'keptAt', 'owner', 'text'],
  feedback: ['id', 'customerId', 'at', 'kind', 'score', 'comment'],
  deliveries: ['id', 'customerId', 'promisedAt', 'deliveredAt', 'problem'],
  snoozes: ['id', 'customerId', 'until', 'reason', 'kinds'],
};

/** The tables, in the contract's order. */
export const TABLES = Object.keys(FIELDS);

// The keys the core reads as "this row could not be read" (no contract field starts with NUL).
const UNREADABLE = '\u0000unreadable';
const UNREADABLE_FIELD = '\u0000field';

// Longest text of a value that is not a table, kept for the core's message.
const SHORT = 200;

class Unreadable extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

const MAX_EXACT = 2n ** 53n;

// Fields holding ids: a BigInt there is its decimal text (ids may be strings or numbers).
const ID_FIELDS = new Set(['id', 'customerId', 'referredBy']);

function bigint(v, field) {
  if (v > -MAX_EXACT && v < MAX_EXACT) return Number(v);
  const digits = String(v);
  const shown = digits.length > 40 ? `${digits.slice(0, 40)}…` : digits;
  throw new Unreadable(field, `\`${field}\` is the BigInt ${shown}n, which no number holds exactly`);
}

// One value, shallowly: what `JSON.stringify` would write for a scalar, `{}` / `[]` for an
// object or array nested inside a field.
function inner(v, field) {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'bigint':
      return bigint(v, field);
    case 'object':
      if (v === null) return null;
      if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
      return Array.isArray(v) ? [] : {};
    default:
      return null; // undefined, a function or a symbol inside an array: JSON.stringify's null
  }
}

// A field's value: `undefined` leaves it out (as `JSON.stringify` does for undefined, functions
// and symbols); an array keeps its items, each taken shallowly (a snooze's `kinds`).
function value(v, field) {
  if (typeof v === 'bigint' && ID_FIELDS.has(field)) return String(v);
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (typeof v === 'object' && v !== null && !(v instanceof Date)) {
    if (Array.isArray(v)) {
      const n = v.length;
      const out = new Array(n);
      for (let i = 0; i < n; i++) out[i] = inner(v[i], field);
      return out;
    }
    if (typeof v.toJSON === 'function') return inner(v.toJSON(field), field);
    return {};
  }
  return inner(v, field);
}

// One row as a plain object of its table's fields, or the marked row when it cannot be read.
function row(fields, r) {
  if (r === null || typeof r !== 'object') return inner(r, 'row');
  let field = null;
  try {
    if (Array.isArray(r)) return [];
    const out = {};
    for (const f of fields) {
      field = f;
      const v = value(r[f], f);
      if (v !== undefined) out[f] = v;
    }
    return out;
  } catch (e) {
    const out = { [UNREADABLE]: e instanceof Unreadable ? e.message : `reading \`${field}\` threw: ${messageOf(e)}` };
    if (field !== null) out[UNREADABLE_FIELD] = e instanceof Unreadable ? e.field : field;
    try {
      const id = r.id;
      if (typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id))) out.id = id;
    } catch {
      // no id either
    }
    return out;
  }
}

// A table: its rows, or (not an array) a short stand-in for the core's "expected an array".
function table(name, rows) {
  if (!Array.isArray(rows)) {
    if (typeof rows === 'string') return rows.length > SHORT ? `${rows.slice(0, SHORT)}…` : rows;
    return inner(rows, name);
  }
  const fields = FIELDS[name];
  const n = rows.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    let r;
    try {
      r = rows[i];
    } catch (e) {
      out[i] = { [UNREADABLE]: `reading the row threw: ${messageOf(e)}` };
      continue;
    }
    out[i] = row(fields, r);
  }
  return out;
}

// An envelope's `asOf` or `policy`: through `JSON.stringify` (BigInts as exact numbers), so
// that the core reads it as given; one that cannot be converted (a cycle, too deep) fails the
// call naming it.
function plain(v, path, code) {
  if (v instanceof Date) return inner(v, path);
  try {
    return JSON.parse(JSON.stringify(v, (k, x) => (typeof x === 'bigint' ? bigint(x, k || path) : x)) ?? 'null');
  } catch (e) {
    throw tendError(code, path, `cannot be converted to JSON: ${messageOf(e)}`, e);
  }
}

function read(obj, k, path) {
  try {
    return obj[k];
  } catch (e) {
    throw tendError('invalid_input', path, `reading it threw: ${messageOf(e)}`, e);
  }
}

// The tables of an object (the export, an envelope's `data`, an update's `upsert` / `remove`)
// into `out`. Other keys are not read, except those in `keep` (passed shallowly, for the core's
// message about them); `all`: every key is kept (the core rejects unknown tables of an update).
function tables(obj, path, convert, out = {}, keep = [], all = false) {
  for (const k of Object.keys(obj)) {
    const isTable = TABLES.includes(k);
    if (!isTable && !all && !keep.includes(k)) continue;
    const v = read(obj, k, `${path}.${k}`);
    if (v !== undefined) out[k] = isTable ? convert(k, v) : inner(v, k);
  }
  return out;
}

/**
 * An export object or envelope (`{ asOf?, policy?, data }`) as JSON text, row by row. Throws
 * a `TendError` naming the path when the export itself cannot be read (a table's getter
 * throws, an envelope's policy is cyclic).
 */
export function exportText(data) {
  const out = {};
  const has = (k) => Object.prototype.hasOwnProperty.call(data, k);
  // `asOf` and `policy` first: the core reads plain dates in the policy's timezone.
  if (has('asOf')) out.asOf = plain(read(data, 'asOf', 'data.asOf'), 'data.asOf', 'invalid_option');
  if (has('policy')) out.policy = plain(read(data, 'policy', 'data.policy'), 'data.policy', 'invalid_policy');
  tables(data, 'data', table, out);
  if (has('data')) {
    const v = read(data, 'data', 'data.data');
    // An envelope's tables (a `data` inside it is kept for the core's "cannot contain another
    // envelope"); anything but an object is passed shallowly for the core's message.
    if (v !== undefined) out.data = v !== null && typeof v === 'object' && !Array.isArray(v) ? tables(v, 'data.data', table, {}, ['data']) : inner(v, 'data');
  }
  return JSON.stringify(out);
}

// Removal ids, shallowly.
function ids(_, v) {
  if (!Array.isArray(v)) return inner(v, 'id');
  const n = v.length;
  const out = new Array(n);
  for (let i = 0; i < n; i++) {
    try {
      out[i] = id(v[i]);
    } catch {
      out[i] = null; // an id that cannot be read: the core rejects a null id
    }
  }
  return out;
}

function id(v) {
  return typeof v === 'bigint' ? String(v) : inner(v, 'id');
}

/**
 * An update (`{ upsert?: { table: [rows] }, remove?: { table: [ids] } }`) as JSON text: upserted
 * rows read as a load's are, removal ids taken shallowly.
 */
export function updateText(changes) {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) return JSON.stringify(inner(changes, 'update'));
  const out = {};
  for (const k of Object.keys(changes)) {
    const v = read(changes, k, `update.${k}`);
    if (v === undefined) continue;
    if ((k === 'upsert' || k === 'remove') && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = tables(v, `update.${k}`, k === 'upsert' ? table : ids, {}, [], true);
    } else {
      out[k] = inner(v, k);
    }
  }
  return JSON.stringify(out);
}
