#!/usr/bin/env node
// tend <file> [--as-of DATE] [--json] [--policy FILE]
//
// Prints the open neglect flags of a CRM export grouped by owner, most overdue first, and a
// summary of what happened to the input. The file is an export, or an envelope
// `{ asOf?, policy?, data }`. Exit code 2 on an unreadable file or an impossible analysis.
import { readFileSync } from 'node:fs';
import process from 'node:process';

// `tend … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const USAGE = `usage: tend <file> [--as-of DATE] [--json] [--policy FILE]

  <file>          a CRM export (JSON), or an envelope { asOf?, policy?, data }
  --as-of DATE    the instant of evaluation (ISO 8601); default: the envelope's asOf, else now
  --policy FILE   a policy (JSON) replacing the envelope's
  --json          print the whole report as JSON
  --version       print the version`;

function fail(message, code = 2) {
  process.stderr.write(`tend: ${oneLine(message)}\n`);
  process.exit(code);
}

function oneLine(s) {
  return String(s).replace(/\s*\n\s*/g, ' ');
}

function parseArgs(argv) {
  const args = { file: null, asOf: null, json: false, policy: null, help: false, version: false };
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

function render(report) {
  const out = [];
  const byOwner = new Map();
  let open = 0;
  let snoozed = 0;
  for (const c of report.customers) {
    for (const f of c.neglect) {
      const owner = f.owner ?? c.owner ?? null;
      const key = owner === null ? NO_OWNER : plain(owner).trim() || NO_OWNER;
      if (!byOwner.has(key)) byOwner.set(key, []);
      byOwner.get(key).push({ c, f });
      open++;
      if (f.snoozed) snoozed++;
    }
  }
  const owners = [...byOwner.keys()].sort((a, b) => {
    if (a === NO_OWNER) return 1;
    if (b === NO_OWNER) return -1;
    return a.localeCompare(b, 'en');
  });
  for (const owner of owners) {
    const rows = byOwner.get(owner);
    rows.sort((x, y) => y.f.overdue - x.f.overdue || x.c.id.localeCompare(y.c.id, 'en') || x.f.kind.localeCompare(y.f.kind));
    const cells = rows.map(({ c, f }) => [
      `${c.name == null ? '' : clip(plain(c.name).trim(), 36) + ' '}(${clip(plain(c.id), 24)})`,
      f.kind + (f.snoozed ? ' [snoozed]' : ''),
      f.due.slice(0, 10),
      fmtDays(f.overdue),
      plain(f.message) + (f.snoozed && f.snooze ? ` (snoozed until ${f.snooze.until.slice(0, 10)}: ${plain(f.snooze.reason)})` : ''),
    ]);
    const head = ['customer', 'flag', 'due', 'overdue', 'what to do'];
    const w = head.map((h, i) => Math.max(width(h), ...cells.map((r) => width(r[i]))));
    const line = (r) => [pad(r[0], w[0]), pad(r[1], w[1]), pad(r[2], w[2]), r[3].padStart(w[3]), r[4]].join('  ').trimEnd();
    const n = rows.length;
    out.push(`${owner} — ${n} open flag${n === 1 ? '' : 's'}`);
    out.push('  ' + line(head));
    for (const r of cells) out.push('  ' + line(r));
    out.push('');
  }
  if (open === 0) out.push('No open neglect flags.', '');

  const input = report.input;
  const tables = ['customers', 'orders', 'contacts', 'complaints', 'promises', 'feedback', 'deliveries', 'snoozes'];
  const counts = tables
    .filter((t) => input[t] && (t === 'customers' || input[t].received > 0))
    .map((t) => `${t} ${input[t].received}/${input[t].used}/${input[t].rejected}/${input[t].future}`);
  out.push(
    `${report.customers.length} customers analysed, ${open} open flag${open === 1 ? '' : 's'}` +
      (snoozed ? ` (${snoozed} snoozed)` : '') +
      ` as of ${report.asOf}`,
  );
  out.push(`input (received/used/rejected/future): ${counts.join(', ')}`);
  const rejected = input.rejected ?? [];
  if (rejected.length) {
    out.push(`rejected rows (${rejected.length}):`);
    for (const r of rejected) {
      out.push(`  ${r.table}#${r.index}${r.id == null ? '' : ` (${plain(r.id)})`} ${r.field ?? '(row)'}: ${plain(r.reason)}`);
    }
  }
  const warnings = input.warnings ?? [];
  if (warnings.length) {
    out.push(`warnings (${warnings.length}):`);
    for (const r of warnings) {
      out.push(`  ${r.table}#${r.index}${r.id == null ? '' : ` (${plain(r.id)})`} ${r.field ?? '(row)'}: ${plain(r.reason)}`);
    }
  }
  return out.join('\n') + '\n';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  let tend;
  try {
    tend = await import('./index.js');
  } catch (e) {
    if (e && (e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'ENOENT')) {
      fail('the WebAssembly module is not built (pkg/wasm is missing): run `make build`');
    }
    throw e;
  }
  if (args.version) {
    process.stdout.write(tend.version() + '\n');
    return;
  }
  if (args.file === null) fail(`no file given\n${USAGE}`);

  // The file's bytes go to wasm as they are: the core parses them and reads an envelope's
  // asOf / policy itself (options given here win over the envelope's; now is the last resort).
  let bytes;
  try {
    bytes = readFileSync(args.file === '-' ? 0 : args.file);
  } catch (e) {
    fail(`cannot read file \`${args.file}\`: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
  const options = {};
  if (args.asOf !== null) options.asOf = args.asOf;
  if (args.policy !== null) options.policy = readJson(args.policy, 'policy file');

  let report;
  try {
    report = tend.analyze(bytes, options);
  } catch (e) {
    if (tend.isTendError(e)) fail(e.message);
    throw e;
  }
  process.stdout.write(args.json ? JSON.stringify(report, null, 2) + '\n' : render(report));
}

main().catch((e) => {
  process.stderr.write(`tend: internal error: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
