// The top of the page after a load: the source line, the key figures and the rep scorecards,
// all from the summary.
import { $, el, clear, fmtInt, fmt1, fmtPct, fmtMB, fmtInstant, signed } from '../dom.js';
import { kindLabel } from '../shared.js';
import { showOwner } from './worklist.js';

/** What was analysed, as of when, and how long it took; `changeTables` re-maps a CSV set. */
export function renderSourceLine(s, source, changeTables) {
  const line = clear($('source-line'));
  const what = source.kind === 'url' ? 'The bundled sample' : source.kind === 'csv' ? `${source.files.length} CSV file${source.files.length > 1 ? 's' : ''}` : source.name;
  const t = s.timings;
  line.append(el('strong', { text: what }), ` · ${fmtMB(s.source.bytes)} · as of ${fmtInstant(s.asOf)} (UTC${s.policy.timezone}) · analysed in ${fmtInt(t.totalMs)} ms`);
  line.append(el('span', { class: 'muted', text: ` (read ${fmtInt(t.readMs)} ms; in WebAssembly: parse, validate & score ${fmtInt(t.loadMs)} ms, summary ${fmtInt(t.summaryMs)} ms)` }));
  if (source.kind === 'csv') {
    line.append(' ', el('button', { type: 'button', class: 'button small', text: 'Change tables', onclick: changeTables }));
  }
}

function dayBefore(date, days) {
  const t = Date.parse(`${date}T00:00:00Z`) - days * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

export function renderFigures(s) {
  $('fig-customers').textContent = fmtInt(s.customers);
  const t = s.counts.tier;
  $('fig-customers-sub').textContent = `tiers A ${fmtInt(t.A)} · B ${fmtInt(t.B)} · C ${fmtInt(t.C)}`;
  const risk = s.counts.risk;
  $('fig-risk').textContent = fmtInt((risk.high ?? 0) + (risk.critical ?? 0));
  $('fig-risk-sub').textContent = `${fmtInt(risk.critical)} critical · ${fmtInt(s.valueAtRisk.revenue12m)} revenue (12 mo.) at stake`;
  $('fig-flags').textContent = fmtInt(s.openFlags);
  const kinds = Object.entries(s.flagKinds).sort((a, b) => b[1] - a[1]);
  $('fig-flags-sub').textContent = `${s.snoozedFlags ? `${fmtInt(s.snoozedFlags)} snoozed · ` : ''}${kinds.length ? `most: ${kindLabel(kinds[0][0]).toLowerCase()} (${fmtInt(kinds[0][1])})` : 'none open'}`;
  const daily = s.daily;
  const last = daily[daily.length - 1] ?? null;
  const ref = last ? (daily.find((d) => d.date === dayBefore(last.date, 30)) ?? daily[Math.max(0, daily.length - 31)]) : null;
  const figure = (key, valId, subId, unit) => {
    const v = last?.[key];
    const sub = $(subId);
    $(valId).textContent = v === null || v === undefined ? '—' : `${fmt1(v)}${unit}`;
    sub.className = 'sub';
    if (v === null || v === undefined) {
      sub.textContent = 'no answers in the last 90 days';
      return;
    }
    const r = ref?.[key];
    if (r === null || r === undefined) {
      sub.textContent = 'no answers 30 days earlier';
      return;
    }
    const d = v - r;
    sub.textContent = `${d > 0 ? '▲' : d < 0 ? '▼' : '■'} ${signed(d)} vs 30 days earlier (${fmt1(r)}${unit} on ${ref.date})`;
    sub.classList.add(d > 0 ? 'up' : d < 0 ? 'down' : 'flat');
  };
  figure('nps', 'fig-nps', 'fig-nps-sub', '');
  figure('csat', 'fig-csat', 'fig-csat-sub', ' %');
}

export function renderReps(s) {
  const body = clear($('reps-body'));
  for (const o of s.owners) {
    const total = Object.values(o.openFlags).reduce((a, b) => a + b, 0);
    const kinds = Object.entries(o.openFlags)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n} ${kindLabel(k).toLowerCase()}`)
      .join(', ');
    const name = o.owner ?? '(no owner)';
    const btn = el('button', { type: 'button', class: 'link', text: name, title: `Show ${name}'s worklist`, onclick: () => showOwner(o.owner) });
    body.append(
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, btn),
        el('td', { class: 'num', 'data-label': 'Customers', text: fmtInt(o.customers) }),
        el('td', { class: 'num', 'data-label': 'Open flags', text: `${fmtInt(total)}${o.snoozedFlags ? ` (+${o.snoozedFlags} snoozed)` : ''}` }),
        el('td', { class: 'kinds', 'data-label': 'By kind', text: kinds || '—' }),
        el('td', { class: 'num', 'data-label': 'Overdue', text: fmt1(o.overdueDays) }),
        el('td', { class: 'num', 'data-label': 'Broken promises', text: o.brokenPromiseRate === null ? '—' : `${fmtPct(o.brokenPromiseRate)} of ${fmtInt(o.promisesDue)}` }),
        el('td', { class: 'num', 'data-label': 'Median resolution', text: fmt1(o.medianComplaintResolutionDays) }),
        el('td', { class: 'num', 'data-label': 'At high risk', text: fmtPct(o.highRiskShare) }),
      ),
    );
  }
}
