// Errors shared by the engine (core.js) and the buying-model API (models-core.js).

const CODES = new Set(['invalid_input', 'invalid_option', 'invalid_policy', 'fit_failed', 'freed']);

/** An analysis that cannot be done at all. `code` says why, `path` where. */
export class TendError extends Error {
  constructor(message, code, path, options) {
    super(message, options);
    this.name = 'TendError';
    this.code = code;
    this.path = path;
  }
}

/** True for a `TendError`, also one thrown by another copy of this module. */
export function isTendError(e) {
  return e instanceof TendError || (e instanceof Error && e.name === 'TendError' && typeof e.code === 'string' && typeof e.path === 'string');
}

const WORDS = { invalid_input: 'invalid input', invalid_option: 'invalid option', invalid_policy: 'invalid policy' };

/** An error's message, whatever was thrown. */
export function messageOf(e) {
  try {
    return e instanceof Error ? e.message : String(e);
  } catch {
    return 'an exception';
  }
}

/** A `TendError` with `code` at `path`: "invalid input at `path`: reason". */
export function tendError(code, path, reason, cause) {
  return new TendError(`${WORDS[code] ?? code} at \`${path}\`: ${reason}`, code, path, cause === undefined ? undefined : { cause });
}

/**
 * `f()`, with anything it throws but a `TendError` (a getter, a `Proxy` trap, a conversion)
 * turned into a `TendError` with `code` at `path`.
 */
export function guarded(code, path, f) {
  try {
    return f();
  } catch (e) {
    if (isTendError(e)) throw e;
    throw tendError(code, path, messageOf(e), e);
  }
}

/** A value described for a message. */
export function describe(v) {
  try {
    return describeValue(v);
  } catch {
    return 'an unreadable value';
  }
}

function describeValue(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `\`${v.length > 40 ? v.slice(0, 40) + '…' : v}\``;
  if (typeof v === 'object') return v.constructor?.name ?? 'an object';
  return `${typeof v} \`${String(v)}\``;
}

/** A `Date` or ISO string as the ISO string the core reads. */
export function toInstant(v, path) {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new TendError(`invalid option at \`${path}\`: invalid Date`, 'invalid_option', path);
    return v.toISOString();
  }
  if (typeof v === 'string') return v;
  throw new TendError(`invalid option at \`${path}\`: expected a Date or an ISO 8601 string, got ${describe(v)}`, 'invalid_option', path);
}

/** A core error (an `Error` named `TendError` with `code` and `path`) as a `TendError`. */
export function wrapError(e) {
  if (e instanceof Error && e.name === 'TendError' && CODES.has(e.code) && !(e instanceof TendError)) {
    return new TendError(e.message, e.code, typeof e.path === 'string' ? e.path : '', { cause: e });
  }
  return e;
}
