#!/usr/bin/env node
// tend-crm <file|folder> [--as-of DATE] [--top N] [--json] [--policy FILE]
//
// Prints the open neglect flags of a CRM export grouped by owner, most overdue first, then the
// events that move satisfaction most and the week's state changes, then the top of the ranked
// worklist with why each entry is there, then what happened to the input.
// The source is a JSON export (or an envelope `{ asOf?, policy?, data }`), or a folder with one
// CSV file per table (`customers.csv`, `orders.csv`, …). Exit code 2 on an unreadable source or
// an impossible analysis.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

// `tend … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const USAGE = `usage: tend-crm <file|folder> [--as-of DATE] [--top N] [--json] [--policy FILE]

  <file>          a CRM export (JSON), or an envelope { asOf?, policy?, data }
  <folder>        one CSV file per table: customers.csv (required), orders.csv, contacts.csv, …
  --as-of DATE    the instant of evaluation (ISO 8601); default: the envelope's asOf, else now
  --top N         entries of the ranked worklist to print (default 10; 0: none)
  --policy FILE   a policy (JSON) replacing the envelope's
  --json          print the whole report as JSON
  --version       print the version`;

function fail(message, code = 2) {
  process.stderr.write(`tend-crm: ${oneLine(message)}\n`);
  process.exit(code);
}

function oneLine(s) {
  return String(s).replace(/\s*\n\s*/g, ' ');
}

function parseArgs(argv) {
  const args = { file: null, asOf: null, json: false, policy: null, help: false, version: false, top: 10 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (name) => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) fail(`${name} needs a value\n${USAGE}`);
      return argv[++i];
    };
    if (a === '--json') args.json = true;
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a === '-V' || a === '--version') args.version = true;
    else if (a === '--as-of' || a.startsWith('--as-of=')) args.asOf = value('--as-of');
    else if (a === '--policy' || a.startsWith('--policy=')) args.policy = value('--policy');
    else if (a === '--top' || a.startsWith('--top=')) {
      const v = value('--top');
      if (!/^\d+$/.test(v)) fail(`--top needs a whole number, got \`${v}\``);
      args.top = Number(v);
    }
    else if (a.startsWith('-') && a !== '-') fail(`unknown option \`${a}\` (see --help)`);
    else if (args.file === null) args.file = a;
    else fail(`unexpected argument \`${a}\` (one file at a time)`);
  }
  return args;
}

function readJson(file, what) {
  let text;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (e) {
    fail(`cannot read ${what} \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`${what} \`${file}\` is not valid JSON: ${e.message}`);
  }
}

// Plain text: no control characters, no bidirectional overrides, one line.
function plain(s) {
  // eslint-disable-next-line no-control-regex
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ');
}

function clip(s, n) {
  const chars = [...s];
  return chars.length > n ? chars.slice(0, n - 1).join('') + '…' : s;
}

function width(s) {
  return [...s].length;
}

function pad(s, n) {
  return s + ' '.repeat(Math.max(0, n - width(s)));
}

function fmtDays(d) {
  return Number.isInteger(d) ? String(d) : d.toFixed(1);
}

const NO_OWNER = '(no owner)';

const TABLES = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];
const FLAG_KINDS = ['unreturned_contact', 'broken_promise', 'complaint_no_response', 'complaint_overdue', 'complaint_no_update', 'no_outreach', 'no_feedback', 'delivery_failure'];

function money(x) {
  return Math.round(x).toLocaleString('en-US');
}

// Every page of a query, concatenated.
function all(fetch) {
  const items = [];
  for (let offset = 0; ; ) {
    const page = fetch({ offset, limit: 10000 });
    items.push(...page.items);
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return items;
  }
}

function table(head, cells, alignRight = []) {
  const w = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
  const last = head.length - 1;
  const line = (r) => r.map((c, i) => (i === last ? c : alignRight.includes(i) ? c.padStart(w[i]) : pad(c, w[i]))).join('  ').trimEnd();
  return [line(head), ...cells.map(line)];
}

function flagsByOwner(tend, out) {
  const flags = all((q) => tend.flags(q));
  const byOwner = new Map();
  for (const f of flags) {
    const key = f.owner == null ? NO_OWNER : plain(f.owner).trim() || NO_OWNER;
    if (!byOwner.has(key)) byOwner.set(key, []);
    byOwner.get(key).push(f);
  }
  for (const [owner, rows] of byOwner) {
    const cells = rows.map((f) => [
      `${f.customerName == null ? '' : clip(plain(f.customerName).trim(), 36) + ' '}(${clip(plain(f.customerId), 24)})`,
      f.kind + (f.snoozed ? ' [snoozed]' : ''),
      f.due.slice(0, 10),
      fmtDays(f.overdue),
      plain(f.message) + (f.snoozed && f.snooze ? ` (snoozed until ${f.snooze.until.slice(0, 10)}: ${plain(f.snooze.reason)})` : ''),
    ]);
    const n = rows.length;
    out.push(`${owner} — ${n} open flag${n === 1 ? '' : 's'}`);
    for (const l of table(['customer', 'flag', 'due', 'overdue', 'what to do'], cells, [3])) out.push('  ' + l);
    out.push('');
  }
  if (flags.length === 0) out.push('No open neglect flags.', '');
  return flags;
}

// Why an entry is on the worklist where it is: its value, its risk and what drives the risk.
function why(c) {
  const parts = [c.buying.status === 'not_recorded' ? `tier ${c.value.tier} (no orders in the export)` : `tier ${c.value.tier}, ${money(c.value.revenue12m)} in 12 months`];
  if (c.value.clv != null) parts.push(`CLV ${money(c.value.clv)}`);
  const reasons = c.risk.reasons.slice(0, 3).map((r) => `${plain(r.text)} (${r.weight})`);
  parts.push(`risk ${c.risk.level} ${c.risk.score}${reasons.length ? ': ' + reasons.join('; ') : ''}`);
  return parts.join('; ');
}

function topOfWorklist(tend, top, out) {
  if (top === 0) return;
  const page = tend.worklist({ limit: top });
  out.push(`Top ${page.items.length} of ${page.total} actions, by expected loss (risk × value)`);
  const seen = new Map();
  page.items.forEach((w, i) => {
    if (!seen.has(w.customerId)) seen.set(w.customerId, tend.customer(w.customerId));
    const c = seen.get(w.customerId);
    const name = w.customerName == null ? '' : clip(plain(w.customerName).trim(), 40) + ' ';
    out.push(`${String(i + 1).padStart(3)}. ${name}(${clip(plain(w.customerId), 24)}) — ${w.kind} — ${w.owner == null ? NO_OWNER : plain(w.owner)}`);
    out.push(`     ${plain(w.message)}${w.uplift > 0 ? ` (health +${w.uplift} when done)` : ''}`);
    if (c) out.push(`     why: ${why(c)}; priority ${money(w.priority)}`);
  });
  out.push('');
}

const SURVEY = { nps: 'NPS', csat: 'CSAT', ces: 'CES' };

// The events that move the next survey answer most, significant ones only.
function topDrivers(tend, out) {
  const d = tend.drivers();
  const shown = d.drivers.filter((x) => x.significant).slice(0, 5);
  const pairs = `${d.pairs.nps} NPS, ${d.pairs.csat} CSAT, ${d.pairs.ces} CES answer pairs`;
  if (shown.length === 0) {
    out.push(`What moves satisfaction: no driver is significant (${pairs}; a driver needs ${d.minPairs} pairs and an interval clear of 0).`, '');
    return;
  }
  out.push(`What moves satisfaction — change of the next answer per event, 95% interval (${pairs}; associations, not experiments)`);
  const cells = shown.map((x) => [x.event, SURVEY[x.survey], `${x.effect} (${x.low}…${x.high})`, money(x.events), money(x.cost)]);
  for (const l of table(['event', 'survey', 'effect', 'events', 'cost'], cells, [3, 4])) out.push('  ' + l);
  out.push('');
}

// Who entered the red band, high risk or dissolution this week.
function weekChanges(tend, out) {
  const s = tend.summary().changes;
  const n = (e) => `${e.red} turned red, ${e.highRisk} high risk, ${e.dissolution} dissolving`;
  const page = tend.changes({ days: 7, limit: 10 });
  out.push(`This week: ${n(s.days7)} (30 days: ${n(s.days30)})`);
  for (const r of page.items) {
    const name = r.name == null ? '' : clip(plain(r.name).trim(), 40) + ' ';
    const how = (what, s) => (s === null ? null : s.days === 0 ? `${what} since this week` : `${what} for ${s.atLeast ? 'at least ' : ''}${s.days} days`);
    const since = [how('red', r.red), how('high risk', r.highRisk)].filter(Boolean);
    out.push(`  ${name}(${clip(plain(r.id), 24)}) — entered ${r.entered.join(', ')} — ${r.owner == null ? NO_OWNER : plain(r.owner)} — value ${money(r.value)}${since.length ? ' — ' + since.join(', ') : ''}`);
  }
  if (page.total > page.items.length) out.push(`  … and ${page.total - page.items.length} more`);
  out.push('');
}

function render(tend) {
  const out = [];
  const flags = flagsByOwner(tend, out);
  topDrivers(tend, out);
  weekChanges(tend, out);
  const s = tend.summary();
  topOfWorklist(tend, ARGS.top, out);
  const open = flags.length;
  const snoozed = flags.filter((f) => f.snoozed).length;
  const input = s.input;
  const counts = TABLES.filter((t) => input[t] && (t === 'customers' || input[t].received > 0)).map(
    (t) => `${t} ${input[t].received}/${input[t].used}/${input[t].rejected}/${input[t].future}`,
  );
  out.push(
    `${s.customers} customers analysed, ${open} open flag${open === 1 ? '' : 's'}` + (snoozed ? ` (${snoozed} snoozed)` : '') + ` as of ${s.asOf}`,
  );
  out.push(`input (received/used/rejected/future): ${counts.join(', ')}`);
  // A table missing from the export is "not recorded": say what that leaves out.
  for (const n of input.notEvaluated ?? []) out.push(`not evaluated (no ${n.table} in the export): ${n.rules}`);
  if (input.rejected) {
    const rejected = all((q) => tend.rejected(q));
    const more = input.rejected - rejected.length;
    out.push(`rejected rows (${input.rejected}${more > 0 ? `; the first ${rejected.length} listed` : ''}):`);
    for (const r of rejected.slice(0, 50)) {
      const where = r.line != null ? `line ${r.line}${r.column != null ? `, column ${r.column}` : ''} ` : '';
      out.push(`  ${r.table}#${r.index}${r.id == null ? '' : ` (${plain(r.id)})`} ${where}${r.field ?? '(row)'}: ${plain(r.reason)}`);
    }
    if (rejected.length > 50) out.push(`  … and ${rejected.length - 50} more (--json lists them all)`);
  }
  if (input.warnings) {
    const warnings = tend.report().input.warnings;
    out.push(`warnings (${warnings.length}):`);
    for (const r of warnings) {
      out.push(`  ${r.table}#${r.index}${r.id == null ? '' : ` (${plain(r.id)})`} ${r.field ?? '(row)'}: ${plain(r.reason)}`);
    }
  }
  return out.join('\n') + '\n';
}

// A folder holds one CSV file per table, named after it.
function readSource(file) {
  let stat;
  try {
    stat = file === '-' ? null : statSync(file);
  } catch (e) {
    fail(`cannot read file \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  if (stat && stat.isDirectory()) {
    const csv = {};
    for (const name of readdirSync(file)) {
      const m = /^([a-z]+)\.csv$/i.exec(name);
      if (m && TABLES.includes(m[1].toLowerCase())) csv[m[1].toLowerCase()] = readFileSync(path.join(file, name));
    }
    if (!csv.customers) fail(`\`${file}\` has no customers.csv (a folder needs one CSV file per table: ${TABLES.map((t) => t + '.csv').join(', ')})`);
    return { csv };
  }
  try {
    return readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    fail(`cannot read file \`${file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}

let ARGS;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  ARGS = args;
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let lib;
  try {
    lib = await import('./index.js');
  } catch (e) {
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'ENOENT')) {
      fail('the WebAssembly module is not built (pkg/wasm is missing): run `make build`');
    }
    throw e;
  }
  if (args.version) {
    process.stdout.write(lib.version() + '\n');
    return;
  }
  if (args.file === null) {
    process.stderr.write(`tend-crm: no file or folder given\n\n${USAGE}\n`);
    process.exit(2);
  }

  // The file's bytes go to wasm as they are: the core parses them and reads an envelope's
  // asOf / policy itself (options given here win over the envelope's; now is the last resort).
  const source = readSource(args.file);
  const options = {};
  if (args.asOf !== null) options.asOf = args.asOf;
  if (args.policy !== null) options.policy = readJson(args.policy, 'policy file');

  let tend;
  try {
    tend = lib.Tend.load(source, options);
    process.stdout.write(args.json ? JSON.stringify(tend.report(), null, 2) + '\n' : render(tend));
  } catch (e) {
    if (lib.isTendError(e)) fail(e.message);
    throw e;
  } finally {
    tend?.free();
  }
}

main().catch((e) => {
  process.stderr.write(`tend-crm: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
