#!/usr/bin/env node
// Deterministic sample-data generator for Tend (see tools/README.md and SPEC.md section 1).
//
//   node tools/gen-sample.mjs [--seed N] [--customers N] [--out FILE] [--planted FILE]
//                             [--csv DIR | --no-csv]
//   node tools/gen-sample.mjs --customers 100000 --rows 3000000 --out bench/big.json   (big mode)
//
// No dependencies, no clock reads, no Math.random: the same arguments give byte-identical files.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const AS_OF = '2026-11-20T17:00:00+00:00'; // a Friday
export const HOLIDAYS = ['2026-11-11'];
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const AS_OF_MS = Date.UTC(2026, 10, 20, 17);
const WINDOW_START = AS_OF_MS - 730 * DAY;
const REPS = ['Alice Martin', 'Bruno Keller', 'Chen Wei'];

export const TABLES = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];
export const FIELDS = {
  customers: ['id', 'name', 'owner', 'createdAt', 'segment', 'referredBy'],
  orders: ['id', 'customerId', 'at', 'amount', 'kind'],
  contacts: ['id', 'customerId', 'at', 'direction', 'channel', 'status', 'owner'],
  complaints: ['id', 'customerId', 'openedAt', 'severity', 'category', 'firstResponseAt', 'resolvedAt'],
  promises: ['id', 'customerId', 'madeAt', 'dueAt', 'keptAt', 'owner', 'text'],
  feedback: ['id', 'customerId', 'at', 'kind', 'score', 'comment'],
  deliveries: ['id', 'customerId', 'promisedAt', 'deliveredAt', 'problem'],
  snoozes: ['customerId', 'until', 'reason', 'kinds'],
};
// Fields that are not in the SPEC (the library must ignore them); JSON only, never CSV.
const EXTRA_FIELDS = { customers: ['country'] };
const ID_PREFIX = { orders: 'ORD-', contacts: 'CON-', complaints: 'CMP-', promises: 'PRM-', feedback: 'FBK-', deliveries: 'DLV-' };
// The date that makes a row `future` (SPEC "Time").
export const KEY_DATE = { orders: 'at', contacts: 'at', complaints: 'openedAt', promises: 'madeAt', feedback: 'at', deliveries: 'promisedAt' };
const DATE_FIELDS = {
  customers: ['createdAt'], orders: ['at'], contacts: ['at'], complaints: ['openedAt', 'firstResponseAt', 'resolvedAt'],
  promises: ['madeAt', 'dueAt', 'keptAt'], feedback: ['at'], deliveries: ['promisedAt', 'deliveredAt'], snoozes: ['until'],
};
// Later events of a row: read as not yet happened when after asOf.
const LATER_FIELDS = { complaints: ['firstResponseAt', 'resolvedAt'], promises: ['keptAt'], deliveries: ['deliveredAt'] };
const RESOLVE_WITHIN = { critical: 1, high: 3, medium: 7, low: 15 };
const OUTREACH_EVERY = { A: 30, B: 60, C: 120 };
const FEEDBACK_EVERY = 180;
const SCORE_RANGE = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

// ---------------------------------------------------------------- PRNG (mulberry32, seeded by splitmix32)

function splitmix32(a) {
  a = (a + 0x9e3779b9) | 0;
  let t = a ^ (a >>> 16);
  t = Math.imul(t, 0x21f0aaad);
  t ^= t >>> 15;
  t = Math.imul(t, 0x735a2d97);
  return (t ^ (t >>> 15)) >>> 0;
}
function strHash(s) {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
function seedOf(...parts) {
  let h = 0x2545f491;
  for (const p of parts) {
    if (typeof p === 'string') h = splitmix32(h ^ strHash(p));
    else { h = splitmix32(h ^ (p >>> 0)); h = splitmix32(h ^ Math.floor(p / 4294967296)); }
  }
  return h;
}

class Rng {
  constructor(seed) { this.a = seed >>> 0; }
  f() { // mulberry32
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(a, b) { return a + (b - a) * this.f(); }
  int(a, b) { return a + Math.floor(this.f() * (b - a + 1)); }
  chance(p) { return this.f() < p; }
  pick(arr) { return arr[Math.floor(this.f() * arr.length)]; }
  wpick(pairs) {
    let total = 0;
    for (const [, w] of pairs) total += w;
    let r = this.f() * total;
    for (const [v, w] of pairs) { if ((r -= w) < 0) return v; }
    return pairs[pairs.length - 1][0];
  }
  normal() { return Math.sqrt(-2 * Math.log(1 - this.f())) * Math.cos(2 * Math.PI * this.f()); }
  logNormal(sigma) { return Math.exp(sigma * this.normal() - sigma * sigma / 2); }
  poisson(lambda) {
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const l = Math.exp(-lambda);
    let k = 0, p = 1;
    do { k++; p *= this.f(); } while (p > l);
    return k - 1;
  }
  shuffle(arr) {
    for (let i = arr.length - 1; i > 0; i--) { const j = Math.floor(this.f() * (i + 1)); [arr[i], arr[j]] = [arr[j], arr[i]]; }
    return arr;
  }
}

// ---------------------------------------------------------------- time

const pad = (n, w = 2) => String(n).padStart(w, '0');
const dayStart = (ms) => Math.floor(ms / DAY) * DAY;
const isoDate = (ms) => { const d = new Date(ms); return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; };
const hms = (ms) => { const d = new Date(ms); return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`; };
const roundMin = (ms) => Math.round(ms / MIN) * MIN;
const dow = (ms) => new Date(ms).getUTCDay();

/** Format an instant: style 'Z', '+01' or 'date' (a plain date: 00:00 of that day in the +00:00 policy zone). Returns [string, effective ms]. */
function stamp(ms, style) {
  if (style === 'date') return [isoDate(ms), dayStart(ms)];
  if (style === '+01') return [`${isoDate(ms + HOUR)}T${hms(ms + HOUR)}+01:00`, ms];
  return [`${isoDate(ms)}T${hms(ms)}Z`, ms];
}

/** ISO 8601 reader per SPEC (offset or Z; plain date = 00:00 in the policy zone, here +00:00). NaN when unparsable. */
export function parseTs(s, tzMinutes = 0) {
  if (typeof s !== 'string') return NaN;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(s);
  if (!m) return NaN;
  const [y, mo, d, h = '0', mi = '0', sec = '0', frac = ''] = m.slice(1, 8);
  const Y = +y, M = +mo, D = +d, H = +h, I = +mi, S = +sec;
  if (M < 1 || M > 12 || D < 1 || D > new Date(Date.UTC(Y, M, 0)).getUTCDate() || H > 23 || I > 59 || S > 59) return NaN;
  let ms = Date.UTC(Y, M - 1, D, H, I, S) + (frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0);
  if (m[4] === undefined) return ms - tzMinutes * MIN;
  const off = m[8];
  if (off !== 'Z') { const sign = off[0] === '-' ? -1 : 1; ms -= sign * (Number(off.slice(1, 3)) * 60 + Number(off.slice(4, 6))) * MIN; }
  return ms;
}

function makeCalendar(holidays) {
  const hol = new Set(holidays);
  const isWorkday = (ms) => { const w = dow(ms); return w !== 0 && w !== 6 && !hol.has(isoDate(ms)); };
  /** SPEC "Time": same clock time on the n-th workday after t's date (from 00:00 of the next workday when t is not on one). */
  const addBD = (ms, n) => {
    let d = dayStart(ms), tod = ms - d;
    if (!isWorkday(d)) { do d += DAY; while (!isWorkday(d)); tod = 0; }
    for (let k = 0; k < n;) { d += DAY; if (isWorkday(d)) k++; }
    return d + tod;
  };
  return { isWorkday, addBD };
}
const CAL = makeCalendar(HOLIDAYS);

/** A random instant in [lo, hi], preferably on a workday between 07:30 and 17:30 UTC. */
function workInstant(rng, lo, hi) {
  if (hi <= lo) return roundMin(lo);
  for (let i = 0; i < 12; i++) {
    const d = dayStart(rng.range(lo, hi));
    if (!CAL.isWorkday(d)) continue;
    const t = roundMin(d + rng.range(7.5, 17.5) * HOUR);
    if (t >= lo && t <= hi) return t;
  }
  return Math.min(hi, Math.max(lo, roundMin(rng.range(lo, hi))));
}

// ---------------------------------------------------------------- vocabulary

const SURNAMES = ['Martin', 'Keller', 'Dubois', 'Rossi', 'Novak', 'Schmidt', 'Jensen', 'Okafor', 'Tanaka', 'Fischer', 'Moreau', 'Bianchi',
  'Larsen', 'Kowalski', 'Meier', 'Girard', 'Costa', 'Lindqvist', 'Brennan', 'Huber', 'Fontaine', 'Ricci', 'Varga', 'Haddad', 'Nakamura',
  'Steiner', 'Müller', 'Lefèvre', 'Østergaard', 'Weber', 'Baumann', 'Ferrari', 'Walsh', 'Petrov', 'Dumont', 'Hartmann', 'Sato', 'Mendes'];
const PLACES = ['Northwind', 'Alpine', 'Riverside', 'Harbor', 'Cedar', 'Granite', 'Lakeview', 'Summit', 'Bluewater', 'Oakridge', 'Silverline',
  'Redwood', 'Meadow', 'Ironbridge', 'Westbrook', 'Sunrise', 'Highland', 'Coastal', 'Pinecrest', 'Evergreen', 'Stonegate', 'Foxglove',
  'Brightwater', 'Kingsway', 'Aurora', 'Juniper', 'Lindenhof', 'Rheintal', 'Seeland', 'Bellevue'];
const INDUSTRIES = ['Logistics', 'Bakery', 'Dental Clinic', 'Engineering', 'Print & Media', 'Hotels', 'Garden Supply', 'Coffee Roasters',
  'Pharmacy', 'Auto Parts', 'Architects', 'Catering', 'Office Supplies', 'Precision Tools', 'Brewing', 'Textiles', 'Medical Devices',
  'Construction', 'Optics', 'Furniture', 'Electrical', 'Packaging', 'Marine Supply', 'Veterinary', 'Software', 'Wine Merchants',
  'Fitness Studios', 'Bike Works', 'Cleaning Services', 'Laboratories'];
const LEGAL = [['Ltd', 'UK'], ['GmbH', 'DE'], ['AG', 'CH'], ['SA', 'FR'], ['Sàrl', 'CH'], ['LLC', 'US'], ['Inc.', 'US'], ['BV', 'NL'],
  ['S.r.l.', 'IT'], ['AB', 'SE'], ['GmbH', 'AT'], ['Oy', 'FI']];
const SPECIAL_NAMES = [['"Zum Goldenen Hirsch" Gasthaus', 'DE'], ['Café Noir, Lyon', 'FR'], ['Ōtani Trading K.K.', 'JP'],
  ["O'Brien & Daughters Ltd", 'IE'], ['Smith, Jones & Partners LLP', 'UK']];
export const MARKUP_NAME = '<img src=x onerror="alert(1)"> Evil & Co <b>Ltd</b>';

const PROMISE_TEXTS = ['Send the updated price list', 'Call back with a firm delivery date', 'Arrange a demo of the new range',
  'Issue a credit note for the damaged items', 'Share the Q1 volume forecast', 'Send the signed framework agreement',
  'Check stock for the spring collection', 'Visit the site to measure up', 'Send the revised quote, incl. freight',
  'Confirm the training dates', 'Email the safety data sheets', 'Sort out the duplicate invoice'];
const GOOD_COMMENTS = ['Great service as always', 'Fast delivery, thank you!', 'Alice sorted it out in minutes', 'Very reliable partner',
  'Good quality, fair price', 'Helpful and friendly, "as usual"', 'Smooth onboarding; clear documentation'];
const MID_COMMENTS = ['OK overall, delivery could be faster', 'Prices went up, quality is fine', 'Fine, but the portal is clunky',
  'Support was slow to answer, but solved it'];
const BAD_COMMENTS = ['Third late delivery this quarter', 'Nobody called back', 'Invoice wrong again, please fix',
  'We are looking at other suppliers', 'Damaged goods, no apology\nand no credit note yet', 'Too hard to reach anyone, "hotline" is a joke'];

// ---------------------------------------------------------------- row store

class Db {
  constructor() { this.t = Object.fromEntries(TABLES.map((t) => [t, []])); this.seq = 0; }
  add(table, row, t) { row._t = t; row._seq = this.seq++; this.t[table].push(row); return row; }
}

// ---------------------------------------------------------------- customers

const TYPES = [['weekly', 6], ['monthly', 32], ['quarterly', 24], ['growing', 6], ['slowing', 10], ['lapsed', 10], ['new', 6], ['never', 6]];

function makeName(rng, used) {
  for (let i = 0; i < 50; i++) {
    const [legal, country] = rng.pick(LEGAL);
    const n = rng.wpick([
      [() => `${rng.pick(SURNAMES)} ${rng.pick(INDUSTRIES)} ${legal}`, 3],
      [() => `${rng.pick(PLACES)} ${rng.pick(INDUSTRIES)}`, 3],
      [() => `${rng.pick(PLACES)} ${rng.pick(INDUSTRIES)} ${legal}`, 2],
      [() => `${rng.pick(SURNAMES)} & ${rng.pick(SURNAMES)} ${legal}`, 1],
      [() => `${rng.pick(SURNAMES)}, ${rng.pick(SURNAMES)} & Partners`, 0.4],
    ])();
    if (!used.has(n)) { used.add(n); return [n, country]; }
  }
  throw new Error('could not find a unique company name');
}

const segmentOf = (annual) => (annual >= 150_000 ? 'enterprise' : annual >= 20_000 ? 'mid-market' : 'smb');

function makeCustomers(seed, n) {
  const rng = new Rng(seedOf(seed, 'customers'));
  const used = new Set();
  const list = [];
  for (let i = 0; i < n; i++) {
    const type = rng.wpick(TYPES);
    let annual = Math.min(1_200_000, Math.max(400, 5000 * Math.exp(1.9 * rng.normal())));
    if (type === 'weekly') annual = Math.max(annual, 9000);
    let created;
    if (type === 'new') created = AS_OF_MS - rng.range(40, 130) * DAY;
    else if (type === 'never') created = AS_OF_MS - rng.range(20, 160) * DAY;
    else if (rng.chance(0.7)) created = WINDOW_START - rng.range(0, 900) * DAY;
    else created = WINDOW_START + rng.range(0, 300) * DAY;
    created = dayStart(created);
    const mood = rng.wpick([[0.85, 70], [0.5, 20], [0.2, 10]]);
    let [name, country] = i < SPECIAL_NAMES.length && n >= 60 ? SPECIAL_NAMES[i] : makeName(rng, used);
    used.add(name);
    list.push({ type, annual, created, happy: type === 'slowing' || type === 'lapsed' ? Math.min(mood, 0.45) : mood,
      name, country, owner: rng.wpick([[REPS[0], 40], [REPS[1], 35], [REPS[2], 25]]) });
  }
  list.sort((a, b) => a.created - b.created || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // no localeCompare: ICU-independent
  const width = Math.max(4, String(n).length);
  list.forEach((c, i) => {
    c.idx = i;
    c.id = `C${pad(i + 1, width)}`;
    c.rng = new Rng(seedOf(seed, 'activity', i));
    c.segment = segmentOf(c.annual);
    c.limit = AS_OF_MS - 30 * HOUR; // no contact-like activity after this (background)
    c.quiet = null; c.closingAt = null; c.feedbackUntil = AS_OF_MS - HOUR; c.ensureFeedback = true; c.role = null;
    c.lastEv = 0;
  });
  // referrals: ~12 % of customers were referred by an older one
  const rr = new Rng(seedOf(seed, 'referrals'));
  for (const c of list) if (c.idx > 10 && rr.chance(0.12)) c.referredBy = list[rr.int(0, c.idx - 1)].id;
  return list;
}

// ---------------------------------------------------------------- background activity

function ownerOf(c, rng) {
  if (!c.owner) return rng.pick(REPS);
  return rng.chance(0.9) ? c.owner : rng.pick(REPS.filter((r) => r !== c.owner));
}

function addContact(db, c, ms, direction, channel, status, owner, style) {
  const [at, t] = stamp(ms, style ?? (c.rng.chance(0.3) ? '+01' : 'Z'));
  const row = { customerId: c.id, at, direction, channel };
  if (channel === 'call') row.status = status ?? c.rng.wpick([['answered', 70], ['voicemail', 20], ['missed', 10]]);
  if (owner !== undefined) { if (owner !== null) row.owner = owner; } else if (direction === 'outbound') row.owner = ownerOf(c, c.rng);
  return db.add('contacts', row, t);
}
const raw = (s) => [s, parseTs(s)];

function scoreFor(rng, kind, happy) {
  const pro = 0.15 + 0.65 * happy, det = 0.6 - 0.6 * happy;
  const band = rng.wpick([['top', pro], ['mid', 1 - pro - det], ['low', det]]);
  if (kind === 'nps') return band === 'top' ? rng.int(9, 10) : band === 'mid' ? rng.int(7, 8) : rng.wpick([[0, 1], [2, 1], [3, 2], [4, 3], [5, 4], [6, 5]]);
  if (kind === 'csat') return band === 'top' ? 5 : band === 'mid' ? rng.int(3, 4) : rng.int(1, 2);
  return band === 'top' ? rng.int(6, 7) : band === 'mid' ? rng.int(4, 5) : rng.int(1, 3);
}
function addFeedback(db, c, ms, kind, score) {
  const rng = c.rng;
  const [at, t] = stamp(ms, rng.wpick([['Z', 6], ['+01', 2], ['date', 2]]));
  if (score === undefined) score = scoreFor(rng, kind, c.happy);
  const row = { customerId: c.id, at, kind, score };
  const good = kind === 'nps' ? score >= 9 : kind === 'csat' ? score >= 5 : score >= 6;
  const bad = kind === 'nps' ? score <= 6 : kind === 'csat' ? score <= 2 : score <= 3;
  if (rng.chance(0.3)) row.comment = rng.pick(good ? GOOD_COMMENTS : bad ? BAD_COMMENTS : MID_COMMENTS);
  else if (rng.chance(0.05)) row.comment = null;
  return db.add('feedback', row, t);
}

function addComplaint(db, c, opened, severity, category) {
  const rng = c.rng;
  const room = c.limit - opened;
  let fr = rng.chance(0.88) ? opened + rng.range(0.3, 5) * HOUR : CAL.addBD(opened, 1) + rng.range(1, 30) * HOUR;
  fr = roundMin(Math.min(fr, opened + room * 0.3));
  const sla = RESOLVE_WITHIN[severity];
  let rs = rng.chance(0.85) ? opened + rng.range(0.15, 0.9) * sla * 1.4 * DAY : CAL.addBD(opened, sla) + rng.range(1, 6) * DAY;
  rs = roundMin(Math.max(Math.min(rs, c.limit - HOUR), fr + 30 * MIN));
  const [openedAt] = stamp(opened, rng.chance(0.3) ? '+01' : 'Z');
  const row = { customerId: c.id, openedAt, severity };
  if (category) row.category = category;
  row.firstResponseAt = stamp(fr, 'Z')[0];
  row.resolvedAt = stamp(rs, rng.chance(0.3) ? '+01' : 'Z')[0];
  db.add('complaints', row, opened);
  addContact(db, c, fr, 'outbound', rng.pick(['call', 'email']), 'answered');
  for (let t = CAL.addBD(fr, rng.int(1, 2)) + rng.range(-2, 2) * HOUR; t < rs - HOUR; t = CAL.addBD(t, rng.int(1, 3))) {
    addContact(db, c, roundMin(t), 'outbound', rng.pick(['call', 'email', 'email']));
  }
  addContact(db, c, rs, 'outbound', 'email');
  c.lastEv = Math.max(c.lastEv, rs);
  if (rng.chance(0.55)) { const ft = rs + rng.range(1, 3) * DAY; if (ft < c.feedbackUntil) addFeedback(db, c, roundMin(ft), 'csat'); }
}

function genOrders(db, c) {
  const rng = c.rng;
  const actStart = Math.max(c.created + rng.range(2, 20) * DAY, WINDOW_START + rng.range(0, 10) * DAY);
  let base = { weekly: 7, monthly: 30, quarterly: 91, growing: 45, slowing: 30, lapsed: rng.pick([30, 60, 91]), new: 22, never: 0 }[c.type];
  if (!base) return;
  const lapseAt = c.type === 'lapsed' ? AS_OF_MS - rng.range(200, 480) * DAY : Infinity;
  const slowFrom = AS_OF_MS - rng.range(240, 320) * DAY;
  const perOrder = c.annual / (365 / base);
  let t = actStart, gap = base, k = 0;
  while (t < AS_OF_MS - 2 * HOUR && t < lapseAt) {
    let ms = dayStart(t);
    if (dow(ms) === 0 || (dow(ms) === 6 && rng.chance(0.8))) ms += (dow(ms) === 0 ? 1 : 2) * DAY;
    ms = roundMin(ms + rng.range(7, 18) * HOUR);
    if (ms >= AS_OF_MS - 2 * HOUR) break;
    let scale = 1;
    if (c.type === 'growing') scale = (gap / base) * (0.6 + 0.8 * (ms - actStart) / (AS_OF_MS - actStart)); // more often, and a little more
    const amount = Math.round(Math.max(15, perOrder * scale * rng.logNormal(0.35)) * 100) / 100;
    const [at, eff] = stamp(ms, rng.wpick([['Z', 6], ['+01', 2.5], ['date', 1.5]]));
    db.add('orders', { customerId: c.id, at, amount }, eff);
    if (rng.chance(0.015)) { // partial refund
      const rt = eff + rng.range(5, 20) * DAY;
      if (rt < AS_OF_MS - DAY) db.add('orders', { customerId: c.id, at: stamp(rt, 'Z')[0], amount: -Math.round(amount * rng.range(0.1, 1) * 100) / 100, kind: 'refund' }, rt);
    }
    if (rng.chance(c.type === 'weekly' ? 0.6 : 0.8)) genDelivery(db, c, eff);
    k++;
    if (c.type === 'growing') gap = Math.max(12, base * Math.pow(0.93, k));
    if (c.type === 'slowing' && ms > slowFrom) gap = gap * 1.35;
    t = ms + Math.max(2, gap + rng.normal() * gap * 0.2) * DAY;
  }
}

function genDelivery(db, c, orderMs) {
  const rng = c.rng;
  const dateStyle = rng.chance(0.4);
  const [promisedAt, promised] = stamp(orderMs + rng.int(2, 10) * DAY + (dateStyle ? 0 : 16 * HOUR - (orderMs % DAY)), dateStyle ? 'date' : 'Z');
  const row = { customerId: c.id, promisedAt };
  if (promised > AS_OF_MS) return db.add('deliveries', row, promised); // a future row
  let delivered = roundMin(rng.range(Math.min(orderMs + 2 * HOUR, promised - HOUR), promised - 30 * MIN));
  let problem = null;
  const roll = rng.f();
  if (roll < 0.07) { delivered = roundMin(promised + rng.range(1, 5) * DAY + rng.range(1, 8) * HOUR); problem = rng.chance(0.5) ? 'late' : null; }
  else if (roll < 0.13) problem = rng.pick(['damaged', 'wrong_item', 'documentation', 'missing']);
  if ((delivered > promised || problem) && delivered > c.limit - 4 * HOUR) { // no follow-up possible before the quiet time: keep it clean
    delivered = roundMin(rng.range(Math.min(orderMs + 2 * HOUR, promised - HOUR), promised - 30 * MIN)); problem = null;
  }
  row.deliveredAt = stamp(delivered, rng.chance(0.3) ? '+01' : 'Z')[0];
  if (problem) row.problem = problem; else if (rng.chance(0.05)) row.problem = null;
  db.add('deliveries', row, promised);
  if (delivered > promised || problem) { // somebody follows up
    const fu = workInstant(rng, delivered + 30 * MIN, Math.min(delivered + 26 * HOUR, c.limit));
    addContact(db, c, fu, 'outbound', rng.pick(['call', 'email']), 'answered');
    c.lastEv = Math.max(c.lastEv, fu);
    if (problem && problem !== 'late' && rng.chance(0.3) && delivered + 3 * DAY < c.limit - 3 * DAY) {
      addComplaint(db, c, workInstant(rng, delivered + HOUR, delivered + 2 * DAY), rng.wpick([['low', 3], ['medium', 4], ['high', 2], ['critical', 1]]),
        problem === 'documentation' ? 'documentation' : 'delivery');
    }
  }
}

function genContacts(db, c) {
  const rng = c.rng;
  const start = Math.max(c.created + rng.range(1, 10) * DAY, WINDOW_START);
  const every = c.type === 'never' ? 30 : c.annual >= 80_000 ? 13 : c.annual >= 20_000 ? 25 : 48;
  // outbound rhythm (+ promises made in meetings and calls)
  for (let t = start + rng.range(0, every) * DAY; t < c.limit; t += Math.max(3, every + rng.normal() * every * 0.3) * DAY) {
    const ms = workInstant(rng, t, Math.min(t + 2 * DAY, c.limit));
    const channel = rng.wpick([['email', 40], ['call', 33], ['meeting', 12], ['visit', 5], ['letter', 3], ['chat', 7]]);
    const row = addContact(db, c, ms, 'outbound', channel);
    c.lastEv = Math.max(c.lastEv, ms);
    if (['meeting', 'call', 'visit'].includes(channel) && rng.chance(0.15)) genPromise(db, c, ms, row.owner);
  }
  // inbound, each returned within hours unless it was an answered call
  const years = Math.max(0.05, (c.limit - start) / (365 * DAY));
  const n = rng.poisson(years * (c.type === 'never' ? 2 : 4 + Math.min(12, c.annual / 15_000)));
  for (let i = 0; i < n; i++) {
    const lo = start, hi = c.limit - 26 * HOUR;
    if (hi <= lo) break;
    const ms = workInstant(rng, lo, hi);
    const channel = rng.wpick([['email', 40], ['call', 40], ['chat', 14], ['letter', 3], ['visit', 3]]);
    const status = channel === 'call' ? rng.wpick([['answered', 60], ['missed', 25], ['voicemail', 15]]) : undefined;
    addContact(db, c, ms, 'inbound', channel, status, rng.chance(0.5) ? ownerOf(c, rng) : null);
    c.lastEv = Math.max(c.lastEv, ms);
    if (channel !== 'call' || status !== 'answered') {
      const back = rng.chance(0.7) ? roundMin(ms + rng.range(0.3, 4) * HOUR) : workInstant(rng, ms + 20 * MIN, ms + 24 * HOUR);
      addContact(db, c, back, 'outbound', channel === 'chat' ? 'chat' : rng.pick(['call', 'email']));
      c.lastEv = Math.max(c.lastEv, back);
    }
    if (rng.chance(0.08) && ms + 2 * DAY < c.feedbackUntil) addFeedback(db, c, roundMin(ms + rng.range(3, 40) * HOUR), 'ces');
  }
  // complaints
  if (c.type !== 'never') {
    const m = Math.min(6, rng.poisson(years * (0.12 + c.annual / 500_000)));
    for (let i = 0; i < m; i++) {
      const hi = c.limit - 3 * DAY;
      if (hi <= start) break;
      addComplaint(db, c, workInstant(rng, start, hi), rng.wpick([['low', 40], ['medium', 35], ['high', 18], ['critical', 7]]),
        rng.chance(0.9) ? rng.wpick([['delivery', 30], ['billing', 25], ['product', 20], ['service', 15], ['documentation', 6], ['other', 4]]) : undefined);
    }
  }
}

function genPromise(db, c, madeMs, owner, forcedText) {
  const rng = c.rng;
  const dateStyle = rng.chance(0.5);
  const [dueAt, due] = stamp(dateStyle ? dayStart(madeMs) + rng.int(2, 14) * DAY : roundMin(madeMs + rng.range(2, 14) * DAY), dateStyle ? 'date' : 'Z');
  const row = { customerId: c.id, madeAt: stamp(madeMs, 'Z')[0], dueAt };
  let kept = null;
  const onTime = () => (due - HOUR > madeMs + HOUR ? roundMin(rng.range(madeMs + HOUR, Math.min(due - HOUR, AS_OF_MS - HOUR))) : null);
  if (due > AS_OF_MS) { if (rng.chance(0.4) && AS_OF_MS - HOUR > madeMs + HOUR) kept = onTime(); }
  else if (rng.chance(0.85)) kept = onTime();
  else { kept = roundMin(due + rng.range(1, 6) * DAY); if (kept >= AS_OF_MS - HOUR) kept = onTime(); }
  if (kept === null && due <= AS_OF_MS) kept = roundMin(madeMs + (due - madeMs) / 2);
  if (kept !== null) row.keptAt = stamp(kept, 'Z')[0];
  if (owner) row.owner = owner;
  row.text = forcedText ?? rng.pick(PROMISE_TEXTS);
  return db.add('promises', row, madeMs);
}

function genFeedback(db, c) {
  const rng = c.rng;
  const start = Math.max(c.created + 20 * DAY, WINDOW_START);
  if (c.type === 'never') return;
  const offset = rng.range(0, 182) * DAY;
  for (let w = WINDOW_START + offset; w < AS_OF_MS; w += 182 * DAY) { // NPS survey waves twice a year
    const at = roundMin(w + rng.range(0, 6) * DAY);
    if (at >= start && at < c.feedbackUntil && rng.chance(0.6)) addFeedback(db, c, at, 'nps');
  }
  if (rng.chance(0.3)) { const at = workInstant(rng, start, c.feedbackUntil); if (at > start) addFeedback(db, c, at, 'ces'); }
}

function ensureRecentFeedback(db, c) {
  if (!c.ensureFeedback || c.created > AS_OF_MS - 170 * DAY) return;
  const from = AS_OF_MS - 165 * DAY;
  const has = db.t.feedback.some((f) => f.customerId === c.id && f._t >= from && f._t < AS_OF_MS);
  if (!has) addFeedback(db, c, workInstant(c.rng, from, AS_OF_MS - DAY), 'nps');
}

function closingContact(db, c) {
  const rng = c.rng;
  let ms;
  if (c.closingAt !== null) ms = c.closingAt;
  else {
    const end = c.quiet ?? AS_OF_MS - 2 * HOUR;
    const lo = c.quiet !== null ? c.quiet - 8 * DAY : Math.max(c.created + DAY, AS_OF_MS - 24 * DAY);
    ms = Math.max(workInstant(rng, lo, end), roundMin(c.lastEv + rng.range(1, 5) * HOUR));
    ms = Math.min(ms, end);
  }
  if (ms <= c.lastEv) throw new Error(`closing contact of ${c.id} is not after its last event`);
  const [at] = stamp(ms, 'Z');
  const channel = rng.wpick([['email', 5], ['call', 4], ['meeting', 1]]);
  db.add('contacts', { customerId: c.id, at, direction: 'outbound', channel, ...(channel === 'call' ? { status: 'answered' } : {}), owner: c.owner ?? REPS[0] }, ms);
}

function genBackground(db, c) {
  genOrders(db, c);
  genContacts(db, c);
  genFeedback(db, c);
  closingContact(db, c);
  ensureRecentFeedback(db, c);
}

// ---------------------------------------------------------------- planted situations

/**
 * Each role: which background it gets (quiet = time after which nothing contact-like happens,
 * except the rows planted here), and a function adding the planted rows. Returns manifest cases.
 */
const ROLES = [
  { role: 'U1', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-19T09:30:00Z', 'inbound', 'call', 'missed', null);
    p.contact('2026-11-23T10:00:00Z', 'outbound', 'meeting', undefined, p.c.owner); // future row: must not count as a return
    return [p.flag('unreturned_contact', k, 'inbound missed call Thu 2026-11-19 09:30Z, never returned; due Fri 2026-11-20 09:30Z (1 business day), overdue at asOf. An outbound meeting dated 2026-11-23 (after asOf, a `future` row) must not count as the return.')];
  } },
  { role: 'U2', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-17T11:20:00+01:00', 'inbound', 'email', undefined, null);
    return [p.flag('unreturned_contact', k, 'inbound email Tue 2026-11-17 10:20Z (written with +01:00), never returned; due Wed 2026-11-18 10:20Z.')];
  } },
  { role: 'UN1', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-18T14:00:00Z', 'inbound', 'call', 'answered', p.c.owner);
    return [p.neg('unreturned_contact', k, 'inbound call 2026-11-18 with status `answered` and no outbound contact after it: needs no return.')];
  } },
  { role: 'UN2', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-16T16:10:00Z', 'inbound', 'call', 'voicemail', null);
    p.contact('2026-11-17T08:45:00+01:00', 'outbound', 'email', undefined, p.c.owner);
    return [p.neg('unreturned_contact', k, 'inbound voicemail Mon 2026-11-16 returned by an outbound email Tue 2026-11-17 07:45Z.')];
  } },
  { role: 'UN3', quiet: '2026-11-17T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-20T10:00:00Z', 'inbound', 'call', 'missed', null);
    return [p.neg('unreturned_contact', k, 'inbound missed call today 2026-11-20 10:00Z: due Mon 2026-11-23 10:00Z, not yet due at asOf.')];
  } },
  { role: 'UN4', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const k = p.contact('2026-11-19T09:00:00Z', 'inbound', 'email', undefined, null);
    p.contact('2026-11-20T17:45:00+01:00', 'outbound', 'email', undefined, p.c.owner);
    return [p.neg('unreturned_contact', k, 'inbound email 2026-11-19 09:00Z returned by an outbound email at 2026-11-20T17:45:00+01:00 = 16:45Z, before asOf (only a reader that drops the offset sees it as after asOf).')];
  } },
  { role: 'BP1', plant(p) {
    const other = REPS.find((r) => r !== p.c.owner);
    p.contact('2026-11-06T14:30:00Z', 'outbound', 'meeting', undefined, other);
    const pr = p.promise('2026-11-06T14:30:00Z', '2026-11-13', undefined, other, 'Send the revised Q1 volume quote');
    return [p.flag('broken_promise', pr, `promise due 2026-11-13 (plain date), not kept. Its owner (${other}) is not the customer's owner (${p.c.owner}): the flag belongs to ${other}.`)];
  } },
  { role: 'BPN1', plant(p) {
    p.contact('2026-11-03T09:00:00Z', 'outbound', 'call', 'answered', p.c.owner);
    const pr = p.promise('2026-11-03T09:00:00Z', '2026-11-10', '2026-11-12T14:00:00Z', p.c.owner, 'Confirm the training dates');
    return [p.neg('broken_promise', pr, 'promise due 2026-11-10, kept late 2026-11-12: no flag (but counts as broken in its owner\'s brokenPromiseRate).')];
  } },
  { role: 'BPN2', plant(p) {
    p.contact('2026-11-18T10:30:00Z', 'outbound', 'visit', undefined, p.c.owner);
    const pr = p.promise('2026-11-18T10:30:00Z', '2026-11-27', undefined, p.c.owner, 'Visit the site to measure up');
    return [p.neg('broken_promise', pr, 'promise due 2026-11-27 (after asOf), not kept yet: not broken.')];
  } },
  { role: 'PIT1', plant(p) {
    p.contact('2026-11-05T11:00:00+01:00', 'outbound', 'call', 'answered', p.c.owner);
    const pr = p.promise('2026-11-05T10:00:00Z', '2026-11-16', '2026-11-24T10:00:00Z', p.c.owner, 'Issue a credit note for the damaged items');
    return [p.flag('broken_promise', pr, 'promise due 2026-11-16 with keptAt 2026-11-24 (after asOf): point-in-time, not yet kept, so broken at asOf.')];
  } },
  { role: 'SN', plant(p) {
    p.contact('2026-11-02T10:00:00Z', 'outbound', 'meeting', undefined, p.c.owner);
    const pr = p.promise('2026-11-02T10:00:00Z', '2026-11-09', undefined, p.c.owner, 'Share the Q1 volume forecast');
    p.snooze({ until: '2026-12-01', reason: 'champion on holiday', kinds: ['broken_promise'] });
    return [p.flag('broken_promise', pr, 'promise due 2026-11-09 not kept; snoozed until 2026-12-01 (kinds [broken_promise]): reported with snoozed = true.', { snoozed: true })];
  } },
  { role: 'CNR', quiet: '2026-11-13T12:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-11-16T10:15:00Z', severity: 'high', category: 'delivery' });
    return [p.flag('complaint_no_response', cp, 'high complaint opened Mon 2026-11-16 10:15Z, no firstResponseAt; first response was due 2026-11-17 10:15Z. (Also past its 3-day resolution and without an outbound update since opening.)')];
  } },
  { role: 'CO', quiet: '2026-10-16T16:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-10-20T09:00:00Z', severity: 'medium', category: 'billing', firstResponseAt: '2026-10-21T10:00:00Z' });
    p.updates(['2026-10-21T10:00:00Z', '2026-10-23T10:00:00Z', '2026-10-27T10:00:00Z', '2026-10-29T10:00:00Z', '2026-11-02T10:00:00Z',
      '2026-11-04T10:00:00Z', '2026-11-06T10:00:00Z', '2026-11-10T10:00:00Z', '2026-11-13T10:00:00Z', '2026-11-17T10:00:00Z', '2026-11-19T10:00:00Z']);
    return [p.flag('complaint_overdue', cp, 'medium complaint opened 2026-10-20, first response 2026-10-21, unresolved; resolution was due 2026-10-29 09:00Z (7 business days). Updated every ≤2 business days up to 2026-11-19, so no complaint_no_update.')];
  } },
  { role: 'PIT2', quiet: '2026-10-28T16:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-11-02T10:00:00Z', severity: 'medium', category: 'product', firstResponseAt: '2026-11-02T14:00:00Z', resolvedAt: '2026-11-25T12:00:00Z' });
    p.updates(['2026-11-02T14:00:00Z', '2026-11-04T11:00:00Z', '2026-11-06T11:00:00Z', '2026-11-10T11:00:00Z', '2026-11-13T11:00:00Z', '2026-11-17T11:00:00Z', '2026-11-19T11:00:00Z']);
    return [p.flag('complaint_overdue', cp, 'medium complaint opened 2026-11-02 with resolvedAt 2026-11-25 (after asOf): point-in-time it is still open; resolution was due 2026-11-12 10:00Z (7 business days, skipping the 2026-11-11 holiday).')];
  } },
  { role: 'HOL', quiet: '2026-11-05T16:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-11-10T18:00:00Z', severity: 'medium', category: 'service', firstResponseAt: '2026-11-10T18:40:00Z' });
    p.updates(['2026-11-10T18:40:00Z', '2026-11-12T10:00:00Z', '2026-11-16T10:00:00Z', '2026-11-18T10:00:00Z', '2026-11-19T15:00:00Z']);
    return [p.neg('complaint_overdue', cp, 'medium complaint opened Tue 2026-11-10 18:00Z, unresolved: with the 2026-11-11 holiday its 7-business-day resolution is due 2026-11-20 18:00Z, one hour after asOf (without the holiday it would be 2026-11-19 18:00Z and overdue).')];
  } },
  { role: 'CNU', quiet: '2026-11-05T16:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-11-09T09:40:00Z', severity: 'low', category: 'documentation', firstResponseAt: '2026-11-09T15:00:00Z' });
    p.updates(['2026-11-09T15:00:00Z', '2026-11-10T11:00:00+01:00']);
    return [p.flag('complaint_no_update', cp, 'low complaint opened 2026-11-09, first response the same day, last outbound contact 2026-11-10 10:00Z and nothing since: update was due 2026-11-16 10:00Z (3 business days, skipping the 2026-11-11 holiday). Resolution (15 bd) not yet due.')];
  } },
  { role: 'CNUN', quiet: '2026-11-12T16:00:00Z', plant(p) {
    const cp = p.complaint({ openedAt: '2026-11-16T09:00:00Z', severity: 'low', category: 'documentation', firstResponseAt: '2026-11-16T13:00:00Z' });
    p.updates(['2026-11-16T13:00:00Z', '2026-11-17T16:00:00Z', '2026-11-19T11:30:00Z']);
    return [
      p.neg('complaint_no_update', cp, 'open low complaint opened 2026-11-16, first response the same day, outbound contacts 2026-11-16/17/19: kept updated (next update due 2026-11-24).'),
      p.neg('complaint_no_response', cp, 'first response 2026-11-16 13:00Z, within a business day.'),
      p.neg('complaint_overdue', cp, 'resolution (15 business days) not yet due.'),
    ];
  } },
  { role: 'NOA', closingAt: '2026-09-15T14:00:00Z', pick: 'top', plant(p) {
    return [p.flag('no_outreach', null, `tier-A account (trailing-12-month revenue ${p.rev()}); last outbound contact 2026-09-15 (66 days > A cadence 30). Orders continue; no inbound contact since.`)];
  } },
  { role: 'NOC', closingAt: '2026-05-01T10:00:00Z', pick: 'small', plant(p) {
    return [p.flag('no_outreach', null, `small account (trailing-12-month revenue ${p.rev()}); last outbound contact 2026-05-01 (203 days > even the C cadence of 120).`)];
  } },
  { role: 'NF', feedbackUntil: '2026-02-20T00:00:00Z', plant(p) {
    p.feedback('2026-03-01T10:12:00Z', 'nps', 8);
    p.snooze({ until: '2026-11-15', reason: 'waiting for the spring survey wave', kinds: ['no_feedback'] });
    return [p.flag('no_feedback', null, 'last feedback 2026-03-01 (264 days > 180). An expired snooze (until 2026-11-15, kinds [no_feedback]) does not silence it: snoozed = false.', { snoozed: false })];
  } },
  { role: 'DF1', plant(p) {
    p.order('2026-11-05', 1840.5);
    const d = p.delivery({ promisedAt: '2026-11-12' });
    return [p.flag('delivery_failure', d, 'delivery promised 2026-11-12, not delivered.')];
  } },
  { role: 'DF2', quiet: '2026-11-10T16:00:00Z', name: MARKUP_NAME, plant(p) {
    p.order('2026-11-06T09:30:00Z', 2310);
    const d = p.delivery({ promisedAt: '2026-11-13', deliveredAt: '2026-11-16T11:00:00Z', problem: 'damaged' });
    return [p.flag('delivery_failure', d, 'delivered late 2026-11-16 11:00Z with problem `damaged`, no outbound contact since; follow-up was due 2026-11-17 11:00Z. The customer name is markup: it must be shown as text.')];
  } },
  { role: 'DFN', quiet: '2026-11-12T16:00:00Z', plant(p) {
    p.order('2026-11-10T08:00:00Z', 640.25);
    const d = p.delivery({ promisedAt: '2026-11-19', deliveredAt: '2026-11-18T09:00:00Z', problem: 'documentation' });
    p.contact('2026-11-18T15:00:00Z', 'outbound', 'call', 'answered', p.c.owner);
    return [p.neg('delivery_failure', d, 'delivered 2026-11-18 09:00Z with problem `documentation`, followed up by an outbound call 2026-11-18 15:00Z.')];
  } },
  { role: 'SNH', plant(p) {
    p.snooze({ until: '2027-01-15', reason: 'contract renegotiation paused by the customer' });
    return [];
  } },
];

const customersOf = (db) => db.customerList;
function rev12(db, c) {
  let s = 0;
  for (const o of db.t.orders) if (o.customerId === c.id && o._t > AS_OF_MS - 365 * DAY && o._t <= AS_OF_MS && typeof o.amount === 'number') s += o.amount;
  return Math.round(s * 100) / 100;
}

function planter(db, c, cases) {
  const rng = c.rng;
  const p = {
    c,
    contact(at, direction, channel, status, owner) {
      const ms = parseTs(at);
      const row = { customerId: c.id, at, direction, channel };
      if (channel === 'call') row.status = status;
      if (owner) row.owner = owner;
      return db.add('contacts', row, ms);
    },
    updates(list) { for (const at of list) p.contact(at, 'outbound', rng.pick(['call', 'email']), 'answered', c.owner); },
    promise(madeAt, dueAt, keptAt, owner, text) {
      const row = { customerId: c.id, madeAt, dueAt };
      if (keptAt) row.keptAt = keptAt;
      if (owner) row.owner = owner;
      row.text = text;
      return db.add('promises', row, parseTs(madeAt));
    },
    complaint(f) { return db.add('complaints', { customerId: c.id, ...f }, parseTs(f.openedAt)); },
    order(at, amount) { return db.add('orders', { customerId: c.id, at, amount }, parseTs(at)); },
    delivery(f) { return db.add('deliveries', { customerId: c.id, ...f }, parseTs(f.promisedAt)); },
    feedback(at, kind, score) { return db.add('feedback', { customerId: c.id, at, kind, score }, parseTs(at)); },
    snooze(s) { return db.add('snoozes', { customerId: c.id, ...s }, 0); },
    rev() {
      const all = customersOf(db).map((x) => rev12(db, x)).sort((a, b) => b - a);
      const r = rev12(db, c);
      return `${r.toFixed(2)}, rank ${all.indexOf(r) + 1} of ${all.length}`;
    },
    flag(kind, row, note, extra = {}) { return { customerId: c.id, kind, evidence: row, note, ...extra }; },
    neg(kind, row, note) { return { customerId: c.id, kind, mustNotFlag: true, evidence: row, note }; },
  };
  return p;
}

// ---------------------------------------------------------------- bad and future rows

function plantBadAndFuture(db, customers, seed) {
  const rng = new Rng(seedOf(seed, 'bad'));
  const pool = customers.filter((c) => !c.role && c.type !== 'never' && c.type !== 'new' && c.created < AS_OF_MS - 300 * DAY);
  rng.shuffle(pool);
  const [c1, c2, c3, c4, c5, c6, c7, c8, c9, c10] = pool;
  const bad = [];
  const mark = (row, table, field, note) => { bad.push({ row, table, field, note }); return row; };
  mark(db.add('orders', { customerId: c1.id, at: '2026-06-15T10:20:00Z', amount: 'abc' }, parseTs('2026-06-15T10:20:00Z')), 'orders', 'amount', 'amount is the string "abc", not a finite number');
  mark(db.add('orders', { customerId: 'C0000', at: '2026-07-02T09:05:00Z', amount: 480 }, parseTs('2026-07-02T09:05:00Z')), 'orders', 'customerId', 'customerId `C0000` is not a known customer');
  mark(db.add('feedback', { customerId: c2.id, at: '2026-08-04T12:00:00Z', kind: 'nps', score: 11 }, parseTs('2026-08-04T12:00:00Z')), 'feedback', 'score', 'NPS score 11 is outside 0–10');
  mark(db.add('complaints', { customerId: c3.id, openedAt: '2026-08-12T10:00:00Z', severity: 'low', category: 'billing', firstResponseAt: '2026-08-12T11:00:00Z', resolvedAt: '2026-08-02T16:00:00Z' },
    parseTs('2026-08-12T10:00:00Z')), 'complaints', 'resolvedAt', 'resolvedAt 2026-08-02 is before openedAt 2026-08-12');
  const dupOf = db.t.orders.find((o) => o.customerId === c4.id && o._t < AS_OF_MS - 200 * DAY && o.amount > 0)
    ?? db.t.orders.find((o) => o._t < AS_OF_MS - 200 * DAY && o.amount > 0 && o.customerId !== c1.id);
  const dup = mark(db.add('orders', { customerId: c4.id, at: '2026-09-03T15:00:00Z', amount: 99.9 }, parseTs('2026-09-03T15:00:00Z')), 'orders', 'id', 'duplicate order id: the second occurrence is rejected, the first kept');
  dup._dupOf = dupOf;
  mark(db.add('contacts', { customerId: c5.id, at: '2026-13-45', direction: 'outbound', channel: 'email', owner: c5.owner ?? REPS[0] }, parseTs('2026-04-20T00:00:00Z')), 'contacts', 'at', 'unparsable date `2026-13-45`');
  // rows dated after asOf (counted as `future`, left out)
  db.add('orders', { customerId: c6.id, at: '2026-11-23', amount: 1250 }, parseTs('2026-11-23'));
  db.add('orders', { customerId: c7.id, at: '2026-12-01T09:00:00Z', amount: 3120.4 }, parseTs('2026-12-01T09:00:00Z'));
  db.add('contacts', { customerId: c8.id, at: '2026-11-24T14:00:00+01:00', direction: 'outbound', channel: 'meeting', owner: c8.owner ?? REPS[1] }, parseTs('2026-11-24T14:00:00+01:00'));
  db.add('contacts', { customerId: c9.id, at: '2026-11-20T18:30:00+01:00', direction: 'inbound', channel: 'email' }, parseTs('2026-11-20T18:30:00+01:00'));
  db.add('feedback', { customerId: c10.id, at: '2026-11-21T08:00:00Z', kind: 'csat', score: 4 }, parseTs('2026-11-21T08:00:00Z'));
  db.add('complaints', { customerId: c6.id, openedAt: '2026-11-23T09:00:00Z', severity: 'low', category: 'other' }, parseTs('2026-11-23T09:00:00Z'));
  return bad;
}

// ---------------------------------------------------------------- assembling

function finalize(db) {
  const out = {};
  for (const table of TABLES) {
    const rows = db.t[table];
    rows.sort((a, b) => (table === 'snoozes' ? 0 : a._t - b._t) || a._seq - b._seq);
    if (ID_PREFIX[table]) {
      let n = 0;
      const width = Math.max(5, String(rows.length).length);
      for (const r of rows) if (!r._dupOf) r.id = `${ID_PREFIX[table]}${pad(++n, width)}`;
      for (const r of rows) if (r._dupOf) r.id = r._dupOf.id;
    }
    out[table] = rows;
  }
  return out;
}

const strip = (table, r) => {
  const o = {};
  for (const f of [...FIELDS[table], ...(EXTRA_FIELDS[table] ?? [])]) if (r[f] !== undefined) o[f] = r[f];
  return o;
};

export function generate({ seed = 42, customers: nCustomers = 300 } = {}) {
  if (nCustomers < 60) throw new Error('--customers must be at least 60 (planted situations need room)');
  const customers = makeCustomers(seed, nCustomers);
  const db = new Db();
  db.customerList = customers;
  // choose the planted customers
  const prng = new Rng(seedOf(seed, 'planted'));
  const pool = prng.shuffle(customers.filter((c) => ['weekly', 'monthly', 'quarterly', 'growing'].includes(c.type)
    && c.created < AS_OF_MS - 400 * DAY && c.owner && !SPECIAL_NAMES.some(([n]) => n === c.name)));
  const maxAnnual = Math.max(...customers.map((c) => c.annual));
  for (const r of ROLES) {
    const c = pool.shift();
    c.role = r.role;
    c.type = r.pick === 'small' ? 'quarterly' : 'monthly';
    c.happy = 0.85;
    if (r.pick === 'top') c.annual = Math.round(maxAnnual * 1.1);
    else if (r.pick === 'small') c.annual = 2600;
    else c.annual = Math.min(Math.max(c.annual, 3000), 40_000);
    c.segment = segmentOf(c.annual);
    if (r.name) c.name = r.name;
    if (r.quiet) { c.quiet = parseTs(r.quiet); c.limit = c.quiet - 30 * HOUR; }
    if (r.closingAt) { c.closingAt = parseTs(r.closingAt); c.quiet = c.closingAt; c.limit = c.closingAt - 30 * HOUR; }
    if (r.feedbackUntil) { c.feedbackUntil = parseTs(r.feedbackUntil); c.ensureFeedback = false; }
    r.customer = c;
  }
  // referral links that make word-of-mouth exposure visible
  const byRole = Object.fromEntries(ROLES.map((r) => [r.role, r.customer]));
  const later = (c) => customers.filter((x) => x.idx > c.idx && !x.role);
  for (const [role, k] of [['CNR', 2], ['NOA', 1], ['DF2', 1]]) {
    const cand = later(byRole[role]);
    for (let i = 0; i < k && cand.length; i++) cand.splice(prng.int(0, cand.length - 1), 1)[0].referredBy = byRole[role].id;
  }
  for (const c of customers) genBackground(db, c);
  const cases = [];
  for (const r of ROLES) cases.push(...r.plant(planter(db, r.customer, cases)));
  const bad = plantBadAndFuture(db, customers, seed);
  // customers table
  for (const c of customers) {
    const row = { id: c.id, name: c.name };
    if (c.owner && !(c.idx % 97 === 13 && !c.role)) row.owner = c.owner; // a few unassigned accounts
    row.createdAt = isoDate(c.created);
    row.segment = c.segment;
    if (c.referredBy) row.referredBy = c.referredBy;
    row.country = c.country;
    db.add('customers', row, c.idx);
  }
  const rows = finalize(db);
  const data = Object.fromEntries(TABLES.map((t) => [t, rows[t].map((r) => strip(t, r))]));
  const envelope = { asOf: AS_OF, policy: { holidays: [...HOLIDAYS] }, data };

  // manifest
  const ev = (row, table) => (row ? { table, id: row.id } : null);
  const tableOf = (row) => TABLES.find((t) => rows[t].includes(row));
  const planted = cases.map((k) => {
    const o = { customerId: k.customerId, kind: k.kind };
    if (k.mustNotFlag) o.mustNotFlag = true;
    o.evidence = k.evidence ? ev(k.evidence, tableOf(k.evidence)) : null;
    if (k.snoozed !== undefined) o.snoozed = k.snoozed;
    o.note = k.note;
    return o;
  });
  const rejected = bad.map((b) => ({ table: b.table, index: rows[b.table].indexOf(b.row), id: b.row.id ?? null, field: b.field, note: b.note }))
    .sort((a, b) => TABLES.indexOf(a.table) - TABLES.indexOf(b.table) || a.index - b.index);

  const ref = referenceCheck(envelope);
  verify(ref, planted, rejected, customers);
  const manifest = {
    asOf: AS_OF,
    seed,
    generator: 'tools/gen-sample.mjs',
    about: 'Situations planted in export.json. `planted`: flags that must appear (evidence: the row that proves it) and, with mustNotFlag, flags that must not appear. '
      + '`expectedFlags`: every neglect kind per customer as read by the generator\'s own reading of SPEC.md (all customers not listed there are generated to raise no flag). '
      + '`rejected`: rows the library must reject (index = position in the table). `input`: expected received/used/rejected/future per table.',
    roles: Object.fromEntries(ROLES.map((r) => [r.role, r.customer.id])),
    planted,
    rejected,
    future: Object.fromEntries(TABLES.map((t) => [t, ref.input[t].future])),
    input: ref.input,
    expectedFlags: Object.fromEntries([...ref.flags].filter(([, f]) => f.length).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([id, f]) => [id, f.map(({ kind, evidence, snoozed }) => ({ kind, evidence, snoozed }))])),
  };
  return { envelope, manifest };
}

// ---------------------------------------------------------------- reference reading of SPEC (self-check)

/** A small independent reading of the SPEC neglect rules, used to check the planted situations hold. */
export function referenceCheck(env) {
  const asOf = parseTs(env.asOf);
  const cal = makeCalendar(env.policy?.holidays ?? []);
  const input = {}, rejected = [], used = {};
  const custIds = new Set();
  for (const table of TABLES) {
    const rows = env.data[table] ?? [];
    const cnt = { received: rows.length, used: 0, rejected: 0, future: 0 };
    const seen = new Set();
    used[table] = [];
    rows.forEach((r, index) => {
      const rej = (field, reason) => { rejected.push({ table, index, field, reason }); cnt.rejected++; };
      if (table !== 'snoozes') {
        if (r.id === undefined || r.id === null || r.id === '') return rej('id', 'missing');
        if (seen.has(String(r.id))) return rej('id', 'duplicate');
        seen.add(String(r.id));
      }
      if (table !== 'customers' && !custIds.has(String(r.customerId))) return rej('customerId', 'unknown');
      const p = { ...r };
      for (const f of DATE_FIELDS[table]) {
        if (r[f] === undefined || r[f] === null) { p[f] = null; continue; }
        p[f] = parseTs(r[f]);
        if (Number.isNaN(p[f])) return rej(f, 'unparsable date');
      }
      if (table === 'orders' && (typeof r.amount !== 'number' || !Number.isFinite(r.amount) || (r.amount < 0 && r.kind !== 'refund'))) return rej('amount', 'bad amount');
      if (table === 'feedback') { const rg = SCORE_RANGE[r.kind]; if (!rg || !Number.isInteger(r.score) || r.score < rg[0] || r.score > rg[1]) return rej('score', 'out of range'); }
      if (table === 'complaints' && p.resolvedAt !== null && p.resolvedAt < p.openedAt) return rej('resolvedAt', 'before openedAt');
      if (KEY_DATE[table] && p[KEY_DATE[table]] > asOf) { cnt.future++; return; }
      for (const f of LATER_FIELDS[table] ?? []) if (p[f] !== null && p[f] > asOf) p[f] = null; // not yet happened at asOf
      cnt.used++;
      used[table].push(p);
      if (table === 'customers') custIds.add(String(r.id));
    });
    input[table] = cnt;
  }
  const by = new Map([...custIds].map((id) => [id, { contacts: [], complaints: [], promises: [], feedback: [], deliveries: [], orders: [], snoozes: [] }]));
  for (const t of TABLES) if (t !== 'customers') for (const r of used[t]) by.get(String(r.customerId))[t].push(r);
  // tiers
  const revenue = new Map([...custIds].map((id) => [id, by.get(id).orders.filter((o) => o.at > asOf - 365 * DAY).reduce((s, o) => s + o.amount, 0)]));
  const ranked = [...custIds].sort((a, b) => revenue.get(b) - revenue.get(a) || (a < b ? -1 : 1));
  const total = ranked.reduce((s, id) => s + Math.max(0, revenue.get(id)), 0);
  const tier = new Map();
  let above = 0;
  for (const id of ranked) {
    const share = total > 0 ? above / total : 1;
    tier.set(id, revenue.get(id) <= 0 ? 'C' : share < 0.8 ? 'A' : share < 0.95 ? 'B' : 'C');
    above += Math.max(0, revenue.get(id));
  }
  const flags = new Map();
  for (const cust of used.customers) {
    const id = String(cust.id), d = by.get(id), f = [];
    const outs = d.contacts.filter((k) => k.direction === 'outbound').map((k) => k.at).sort((a, b) => a - b);
    const lastOut = outs.length ? outs[outs.length - 1] : null;
    const outAfter = (t) => outs.some((o) => o > t);
    const add = (kind, table, row) => f.push({ kind, evidence: row ? { table, id: String(row.id) } : null });
    for (const k of d.contacts) {
      if (k.direction !== 'inbound' || (k.channel === 'call' && k.status === 'answered') || outAfter(k.at)) continue;
      if (asOf > cal.addBD(k.at, 1)) add('unreturned_contact', 'contacts', k);
    }
    for (const k of d.complaints) {
      if (k.firstResponseAt === null && asOf > cal.addBD(k.openedAt, 1)) add('complaint_no_response', 'complaints', k);
      if (k.resolvedAt === null) {
        if (asOf > cal.addBD(k.openedAt, RESOLVE_WITHIN[k.severity])) add('complaint_overdue', 'complaints', k);
        if (asOf > cal.addBD(Math.max(k.openedAt, lastOut ?? -Infinity), 3)) add('complaint_no_update', 'complaints', k);
      }
    }
    for (const k of d.promises) if (k.keptAt === null && asOf > k.dueAt) add('broken_promise', 'promises', k);
    for (const k of d.deliveries) {
      if (k.deliveredAt === null) { if (asOf > k.promisedAt) add('delivery_failure', 'deliveries', k); continue; }
      if ((k.deliveredAt > k.promisedAt || k.problem) && !outAfter(k.deliveredAt) && asOf > cal.addBD(k.deliveredAt, 1)) add('delivery_failure', 'deliveries', k);
    }
    const rowDates = ['orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries'].flatMap((t) => d[t].map((r) => r[KEY_DATE[t]]));
    const first = cust.createdAt ?? Math.min(...rowDates);
    if ((asOf - (lastOut ?? first)) / DAY > OUTREACH_EVERY[tier.get(id)]) add('no_outreach');
    const lastFb = d.feedback.length ? Math.max(...d.feedback.map((k) => k.at)) : first;
    if ((asOf - lastFb) / DAY > FEEDBACK_EVERY) add('no_feedback');
    for (const x of f) x.snoozed = d.snoozes.some((s) => asOf < s.until && (!s.kinds || s.kinds.includes(x.kind)));
    flags.set(id, f);
  }
  return { input, rejected, flags, tier, revenue };
}

function verify(ref, planted, rejected, customers) {
  const problems = [];
  const plantedIds = new Set(planted.map((p) => p.customerId));
  for (const p of planted) {
    const got = (ref.flags.get(p.customerId) ?? []).filter((f) => f.kind === p.kind
      && (!p.evidence || (f.evidence && f.evidence.table === p.evidence.table && f.evidence.id === p.evidence.id)));
    if (p.mustNotFlag) {
      if ((ref.flags.get(p.customerId) ?? []).some((f) => f.kind === p.kind)) problems.push(`${p.customerId} ${p.kind} must not flag`);
      continue;
    }
    if (!got.length) problems.push(`${p.customerId} ${p.kind} missing`);
    else if (p.snoozed !== undefined && got[0].snoozed !== p.snoozed) problems.push(`${p.customerId} ${p.kind} snoozed should be ${p.snoozed}`);
  }
  for (const [id, f] of ref.flags) if (f.length && !plantedIds.has(id)) problems.push(`background customer ${id} raises ${f.map((x) => x.kind).join(', ')}`);
  const noa = customers.find((c) => c.role === 'NOA');
  if (ref.tier.get(noa.id) !== 'A') problems.push(`NOA customer ${noa.id} is tier ${ref.tier.get(noa.id)}`);
  const a = JSON.stringify(rejected.map((r) => [r.table, r.index, r.field]));
  const b = JSON.stringify(ref.rejected.map((r) => [r.table, r.index, r.field]));
  if (a !== b) problems.push(`rejected rows differ: planned ${a}, read ${b}`);
  if (problems.length) throw new Error(`sample self-check failed:\n  ${problems.join('\n  ')}`);
}

// ---------------------------------------------------------------- writers

function envelopeJson(env) {
  const parts = [`{\n  "asOf": ${JSON.stringify(env.asOf)},\n  "policy": ${JSON.stringify(env.policy)},\n  "data": {\n`];
  TABLES.forEach((t, i) => {
    const rows = env.data[t];
    parts.push(`    ${JSON.stringify(t)}: [${rows.length ? '\n' : ''}`);
    parts.push(rows.map((r) => `      ${JSON.stringify(r)}`).join(',\n'));
    parts.push(`${rows.length ? '\n    ' : ''}]${i < TABLES.length - 1 ? ',' : ''}\n`);
  });
  parts.push('  }\n}\n');
  return parts.join('');
}

function csvCell(v) {
  if (v === undefined || v === null) return '';
  const s = Array.isArray(v) ? v.join('|') : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
export function toCsv(table, rows) {
  const lines = [FIELDS[table].join(',')];
  for (const r of rows) lines.push(FIELDS[table].map((f) => csvCell(r[f])).join(','));
  return lines.join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------- big mode (streamed)

function bigMode({ seed, customers: nC, rows: nRows, out }) {
  const rng = new Rng(seedOf(seed, 'big'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const fd = fs.openSync(out, 'w');
  let buf = [], bufLen = 0, written = 0;
  const emit = (s) => { buf.push(s); bufLen += s.length; if (bufLen > 1 << 22) flush(); };
  const flush = () => { if (!buf.length) return; const s = buf.join(''); fs.writeSync(fd, s); written += Buffer.byteLength(s); buf = []; bufLen = 0; };
  // fast stamp formatting: day strings cached
  const dayCache = new Map();
  const dstr = (ms) => { const k = Math.floor(ms / DAY); let s = dayCache.get(k); if (!s) { s = isoDate(k * DAY); dayCache.set(k, s); } return s; };
  const tod = (ms) => { const r = ((ms % DAY) + DAY) % DAY; const h = Math.floor(r / HOUR), m = Math.floor((r % HOUR) / MIN); return `T${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:00`; };
  const ts = (ms) => { const u = rng.f(); if (u < 0.15) return dstr(ms); if (u < 0.4) return dstr(ms + HOUR) + tod(ms + HOUR) + '+01:00'; return dstr(ms) + tod(ms) + 'Z'; };
  const tsZ = (ms) => dstr(ms) + tod(ms) + 'Z';
  const width = Math.max(4, String(nC).length);
  const rid = (prefix, j) => `${prefix}${String(j + 1).padStart(7, '0')}`;
  const cid = (i) => `C${String(i + 1).padStart(width, '0')}`;
  // customer sizes (long tail) and activity weights
  const size = new Float64Array(nC), owner = new Uint8Array(nC), cum = new Float64Array(nC);
  let acc = 0;
  for (let i = 0; i < nC; i++) {
    size[i] = Math.min(2e6, 800 / Math.pow(1 - rng.f(), 1 / 1.15));
    owner[i] = rng.int(0, REPS.length - 1);
    acc += Math.pow(size[i], 0.5);
    cum[i] = acc;
  }
  const pickC = () => { const x = rng.f() * acc; let lo = 0, hi = nC - 1; while (lo < hi) { const m = (lo + hi) >> 1; if (cum[m] < x) lo = m + 1; else hi = m; } return lo; };
  const noNames = { has: () => false, add() {} };
  const rest = Math.max(0, nRows - nC);
  const share = { orders: 0.30, contacts: 0.38, complaints: 0.024, promises: 0.035, feedback: 0.08, deliveries: 0.18, snoozes: 0.001 };
  const counts = Object.fromEntries(Object.entries(share).map(([t, s]) => [t, Math.round(rest * s)]));
  counts.contacts += rest - Object.values(counts).reduce((a, b) => a + b, 0);
  const span = AS_OF_MS - WINDOW_START;
  const timeAt = (j, n) => roundMin(WINDOW_START + span * (j + rng.f()) / n);
  emit(`{\n  "asOf": ${JSON.stringify(AS_OF)},\n  "policy": ${JSON.stringify({ holidays: HOLIDAYS })},\n  "data": {\n`);
  const section = (table, n, row, last) => {
    emit(`    "${table}": [\n`);
    for (let j = 0; j < n; j++) emit(`      ${JSON.stringify(row(j, n))}${j < n - 1 ? ',' : ''}\n`);
    emit(`    ]${last ? '' : ','}\n`);
  };
  section('customers', nC, (i) => {
    const r = { id: cid(i), name: makeName(rng, noNames)[0], owner: REPS[owner[i]], createdAt: dstr(WINDOW_START - rng.range(0, 1200) * DAY),
      segment: size[i] >= 120_000 ? 'enterprise' : size[i] >= 25_000 ? 'mid-market' : 'smb' };
    if (i > 10 && rng.chance(0.1)) r.referredBy = cid(rng.int(0, i - 1));
    return r;
  });
  section('orders', counts.orders, (j, n) => {
    const c = pickC(), t = timeAt(j, n);
    if (rng.chance(0.01)) return { id: rid('ORD-', j), customerId: cid(c), at: tsZ(t), amount: -Math.round(size[c] / 40 * rng.f() * 100) / 100, kind: 'refund' };
    return { id: rid('ORD-', j), customerId: cid(c), at: ts(t), amount: Math.round(Math.max(10, size[c] / 25 * rng.logNormal(0.5)) * 100) / 100 };
  });
  section('contacts', counts.contacts, (j, n) => {
    const c = pickC(), t = timeAt(j, n);
    const direction = rng.chance(0.35) ? 'inbound' : 'outbound';
    const channel = rng.wpick([['email', 40], ['call', 36], ['chat', 10], ['meeting', 8], ['visit', 3], ['letter', 3]]);
    const r = { id: rid('CON-', j), customerId: cid(c), at: ts(t), direction, channel };
    if (channel === 'call') r.status = rng.wpick([['answered', 65], ['missed', 22], ['voicemail', 13]]);
    if (direction === 'outbound' || rng.chance(0.5)) r.owner = REPS[rng.chance(0.9) ? owner[c] : rng.int(0, 2)];
    return r;
  });
  section('complaints', counts.complaints, (j, n) => {
    const c = pickC(), t = timeAt(j, n);
    const r = { id: rid('CMP-', j), customerId: cid(c), openedAt: tsZ(t), severity: rng.wpick([['low', 40], ['medium', 35], ['high', 18], ['critical', 7]]),
      category: rng.pick(['delivery', 'documentation', 'billing', 'product', 'service', 'other']) };
    const fr = t + rng.range(0.3, 30) * HOUR, rs = fr + rng.range(0.2, 12) * DAY;
    if (fr < AS_OF_MS && rng.chance(0.97)) r.firstResponseAt = tsZ(fr);
    if (rs < AS_OF_MS && r.firstResponseAt && rng.chance(0.96)) r.resolvedAt = tsZ(rs);
    return r;
  });
  section('promises', counts.promises, (j, n) => {
    const c = pickC(), t = timeAt(j, n), due = dayStart(t) + rng.int(2, 14) * DAY;
    const r = { id: rid('PRM-', j), customerId: cid(c), madeAt: tsZ(t), dueAt: dstr(due) };
    const kept = rng.chance(0.85) ? t + rng.f() * (due - t) : due + rng.range(1, 6) * DAY;
    if (kept < AS_OF_MS && rng.chance(0.95)) r.keptAt = tsZ(roundMin(kept));
    r.owner = REPS[owner[c]];
    r.text = rng.pick(PROMISE_TEXTS);
    return r;
  });
  section('feedback', counts.feedback, (j, n) => {
    const c = pickC(), t = timeAt(j, n), kind = rng.wpick([['nps', 6], ['csat', 3], ['ces', 1]]);
    const r = { id: rid('FBK-', j), customerId: cid(c), at: ts(t), kind, score: scoreFor(rng, kind, 0.75) };
    if (rng.chance(0.15)) r.comment = rng.pick([...GOOD_COMMENTS, ...MID_COMMENTS, ...BAD_COMMENTS]);
    return r;
  });
  section('deliveries', counts.deliveries, (j, n) => {
    const c = pickC(), t = timeAt(j, n), promised = dayStart(t) + rng.int(2, 10) * DAY;
    const r = { id: rid('DLV-', j), customerId: cid(c), promisedAt: dstr(promised) };
    const late = rng.chance(0.07);
    const delivered = late ? promised + rng.range(1, 5) * DAY : t + rng.f() * (promised - t);
    if (delivered < AS_OF_MS && rng.chance(0.99)) {
      r.deliveredAt = tsZ(roundMin(delivered));
      if (late && rng.chance(0.5)) r.problem = 'late';
      else if (rng.chance(0.05)) r.problem = rng.pick(['damaged', 'wrong_item', 'documentation', 'missing']);
    }
    return r;
  });
  section('snoozes', counts.snoozes, () => {
    const r = { customerId: cid(pickC()), until: dstr(AS_OF_MS + rng.int(-20, 60) * DAY), reason: rng.pick(['champion on holiday', 'budget freeze until Q1', 'contract renegotiation paused', 'site closed for refurbishment']) };
    if (rng.chance(0.6)) r.kinds = [rng.pick(['no_outreach', 'no_feedback', 'broken_promise', 'unreturned_contact'])];
    return r;
  }, true);
  emit('  }\n}\n');
  flush();
  fs.closeSync(fd);
  return { counts: { customers: nC, ...counts }, bytes: written };
}

// ---------------------------------------------------------------- CLI

function parseArgs(argv) {
  const a = { seed: 42, customers: null, out: null, planted: null, csv: null, noCsv: false, rows: null, big: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${k} needs a value`); return v; };
    const num = () => { const v = Number(val()); if (!Number.isSafeInteger(v) || v < 0) throw new Error(`${k} needs a non-negative integer`); return v; };
    if (k === '--seed') a.seed = num();
    else if (k === '--customers') a.customers = num();
    else if (k === '--out') a.out = val();
    else if (k === '--planted') a.planted = val();
    else if (k === '--csv') a.csv = val();
    else if (k === '--no-csv') a.noCsv = true;
    else if (k === '--rows') { a.rows = num(); a.big = true; }
    else if (k === '--big') a.big = true;
    else if (k === '--help' || k === '-h') a.help = true;
    else throw new Error(`unknown argument \`${k}\``);
  }
  return a;
}

function main() {
  let a;
  try { a = parseArgs(process.argv.slice(2)); } catch (e) { process.stderr.write(`gen-sample: ${e.message}\n`); process.exit(2); }
  if (a.help) {
    process.stdout.write('usage: node tools/gen-sample.mjs [--seed N] [--customers N] [--out FILE] [--planted FILE] [--csv DIR | --no-csv]\n'
      + '       node tools/gen-sample.mjs --customers 100000 --rows 3000000 --out bench/big.json\n');
    return;
  }
  if (a.big) {
    const out = path.resolve(a.out ?? path.join(ROOT, 'bench/big.json'));
    const r = bigMode({ seed: a.seed, customers: a.customers ?? 100_000, rows: a.rows ?? 3_000_000, out });
    process.stdout.write(`wrote ${path.relative(process.cwd(), out) || out}: ${Object.entries(r.counts).map(([t, n]) => `${t} ${n}`).join(', ')}; ${(r.bytes / 1e6).toFixed(1)} MB\n`);
    return;
  }
  const out = path.resolve(a.out ?? path.join(ROOT, 'www/sample/export.json'));
  const plantedOut = path.resolve(a.planted ?? path.join(path.dirname(out), 'planted.json'));
  const csvDir = a.noCsv ? null : path.resolve(a.csv ?? path.join(path.dirname(out), 'csv'));
  const { envelope, manifest } = generate({ seed: a.seed, customers: a.customers ?? 300 });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, envelopeJson(envelope));
  fs.mkdirSync(path.dirname(plantedOut), { recursive: true });
  fs.writeFileSync(plantedOut, JSON.stringify(manifest, null, 2) + '\n');
  if (csvDir) {
    fs.mkdirSync(csvDir, { recursive: true });
    for (const t of TABLES) fs.writeFileSync(path.join(csvDir, `${t}.csv`), toCsv(t, envelope.data[t]));
  }
  const rel = (p) => path.relative(process.cwd(), p) || p;
  process.stdout.write(`wrote ${rel(out)} (${TABLES.map((t) => `${t} ${envelope.data[t].length}`).join(', ')}), ${rel(plantedOut)}${csvDir ? `, ${rel(csvDir)}/*.csv` : ''}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
