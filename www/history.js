// The customer panel's history: 26 weekly points of health (a line, the band thresholds behind
// it) with the risk level of each week (a strip under it), drawn as inline SVG; each week's change
// is a focusable band that shows its attribution (the causes' messages) on hover or focus; the
// changes listed below with their causes; the points as a data table.
import { el, svg, clear, fmt1, fmt2, signed, fmtDate, dataTable, section } from './dom.js';

const W = 640;
const H = 190;
const PAD = { l: 34, r: 10, t: 10, b: 40 };
const STRIP = 10; // the risk strip's height
const RISK_FILL = { low: '#6b9e78', medium: '#d4a017', high: '#e07b39', critical: '#b91c1c' };

const causeText = (c) => c.message;
const changeLabel = (ch) => `${fmtDate(ch.from)} → ${fmtDate(ch.to)}: ${signed(ch.delta)} health`;

// The changes worth listing: those that moved health or have a cause, newest first.
const notable = (changes) => changes.filter((c) => c.causes.length || Math.abs(c.delta) >= 0.05).reverse();

function showTip(tip, ch) {
  clear(tip).append(
    el('strong', { text: changeLabel(ch) }),
    ch.causes.length ? el('ul', { class: 'causes' }, ch.causes.map((c) => el('li', { dataset: { component: c.component }, text: causeText(c) }))) : el('span', { class: 'muted', text: ' — no recorded cause (the weeks passing: ageing windows, the trend).' }),
  );
  tip.dataset.change = ch.to;
}

/** The chart, its attribution box and its data table for `history` (`{ points, changes }`). */
export function historySection(history, bands = { green: 70, amber: 40 }) {
  const { points, changes } = history;
  if (!points.length) return section('Health history', el('p', { class: 'muted', text: 'No history.' }));
  const n = points.length;
  const plotH = H - PAD.t - PAD.b;
  const x = (i) => PAD.l + (n === 1 ? 0 : (i * (W - PAD.l - PAD.r)) / (n - 1));
  const y = (v) => PAD.t + plotH - (Math.max(0, Math.min(100, v)) / 100) * plotH;
  const tip = el('div', { class: 'hist-tip', 'aria-live': 'polite' });
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'hist-chart', role: 'group', 'aria-label': `Health over ${n - 1} weeks, with the risk level of each week; the data table follows` });
  // The bands behind the line, the axis and its labels.
  chart.append(
    svg('rect', { x: PAD.l, y: y(100), width: W - PAD.l - PAD.r, height: y(bands.green) - y(100), class: 'zone zone-green' }),
    svg('rect', { x: PAD.l, y: y(bands.green), width: W - PAD.l - PAD.r, height: y(bands.amber) - y(bands.green), class: 'zone zone-amber' }),
    svg('rect', { x: PAD.l, y: y(bands.amber), width: W - PAD.l - PAD.r, height: y(0) - y(bands.amber), class: 'zone zone-red' }),
    ...[0, 50, 100].map((v) => svg('text', { x: PAD.l - 4, y: y(v) + 4, class: 'axis', 'text-anchor': 'end', text: String(v) })),
    ...[0, Math.floor((n - 1) / 2), n - 1].map((i) => svg('text', { x: x(i), y: H - 4, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle', text: fmtDate(points[i].at) })),
    svg('text', { x: PAD.l, y: H - PAD.b + STRIP + 14, class: 'axis', text: 'risk' }),
  );
  // The risk strip: one cell per week.
  const cellW = (W - PAD.l - PAD.r) / Math.max(1, n);
  points.forEach((p, i) => chart.append(svg('rect', { x: PAD.l + i * cellW, y: H - PAD.b + 2, width: Math.max(1, cellW - 1), height: STRIP, fill: RISK_FILL[p.risk.level] ?? '#999', class: 'risk-cell' }, svg('title', { text: `${fmtDate(p.at)}: risk ${p.risk.level}` }))));
  // The health line and its points.
  chart.append(svg('polyline', { points: points.map((p, i) => `${x(i)},${y(p.health.score)}`).join(' '), class: 'hist-line' }));
  points.forEach((p, i) => chart.append(svg('circle', { cx: x(i), cy: y(p.health.score), r: 3, class: `hist-pt band-${p.health.band}` })));
  // One focusable band per change, its attribution shown on hover or focus.
  changes.forEach((ch, i) => {
    const hit = svg('rect', {
      x: x(i),
      y: PAD.t,
      width: Math.max(1, x(i + 1) - x(i)),
      height: plotH,
      class: `hist-hit${ch.causes.length ? ' has-causes' : ''}`,
      tabindex: 0,
      role: 'img',
      'aria-label': `${changeLabel(ch)}${ch.causes.length ? `: ${ch.causes.map(causeText).join('; ')}` : ''}`,
      'data-change': ch.to,
    });
    const on = () => showTip(tip, ch);
    hit.addEventListener('mouseenter', on);
    hit.addEventListener('focus', on);
    chart.append(hit);
  });
  const biggest = [...changes].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))[0];
  if (biggest) showTip(tip, biggest);
  else tip.textContent = 'No change between the weeks.';

  const listed = notable(changes);
  const list = listed.length
    ? el(
        'ol',
        { class: 'changes' },
        listed.map((ch) => el('li', { dataset: { change: ch.to } }, el('span', { class: `delta ${ch.delta < 0 ? 'down' : 'up'}`, text: changeLabel(ch) }), ch.causes.length ? el('ul', { class: 'causes' }, ch.causes.map((c) => el('li', { text: causeText(c) }))) : null)),
      )
    : el('p', { class: 'muted', text: 'Health did not change in these weeks.' });
  const table = dataTable(
    ['Week', 'Health', 'Band', 'Risk', 'Risk score', 'Stage'],
    points.map((p) => el('tr', {}, el('th', { scope: 'row', text: fmtDate(p.at) }), el('td', { class: 'num', text: fmt1(p.health.score) }), el('td', { text: p.health.band }), el('td', { text: p.risk.level }), el('td', { class: 'num', text: fmt2(p.risk.score) }), el('td', { text: p.stage }))),
    { cls: 'small-table' },
  );
  return section(
    `Health history (${n - 1} weeks)`,
    el('figure', { class: 'hist', id: 'cust-history' }, chart, el('figcaption', { class: 'muted', text: 'Weekly health (line; bands shaded) and risk (strip). Hover or focus a week to see why health moved.' }), tip),
    el('h4', { text: 'What changed' }),
    list,
    el('details', {}, el('summary', { text: 'Data table' }), table),
  );
}
