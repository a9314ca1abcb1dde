// The Drivers view: what moves satisfaction. One inline-SVG chart per survey kind (each in its own
// points): a dot at the effect per event and a whisker over its 95 % interval, a zero line,
// non-significant drivers hollow and greyed; the portfolio cost of each at the right. The method
// in one line, the caveat, and every driver in a data table.
import { $, el, svg, clear, fmt2, fmtInt, dataTable } from '../dom.js';
import { eventLabel, SURVEY_UNITS } from '../shared.js';
import { ask, session } from '../client.js';
import { showError } from '../messages.js';

const W = 720;
const ROW = 22;
const LABEL = 280; // the event labels' width
const COST = 90; // the cost column's width
const TOP = 22;

function surveyChart(survey, drivers) {
  const lo = Math.min(0, ...drivers.map((d) => d.low));
  const hi = Math.max(0, ...drivers.map((d) => d.high));
  const span = hi - lo || 1;
  const x0 = LABEL;
  const x1 = W - COST - 10;
  const x = (v) => x0 + ((v - lo) / span) * (x1 - x0);
  const h = TOP + drivers.length * ROW + 24;
  const chart = svg('svg', { viewBox: `0 0 ${W} ${h}`, class: 'drivers-chart', role: 'img', 'aria-label': `Effects on the next ${survey.toUpperCase()} answer per event, with 95 % intervals, and the portfolio cost of each; the data table follows` });
  // The ends of the axis are labelled where they do not run into the zero's label.
  const apart = (v) => Math.abs(x(v) - x(0)) > 40;
  chart.append(
    ...[
      svg('text', { x: x1 + 10, y: 14, class: 'axis', text: 'cost' }),
      svg('line', { x1: x(0), x2: x(0), y1: TOP - 6, y2: h - 20, class: 'zero' }),
      svg('text', { x: x(0), y: h - 6, class: 'axis', 'text-anchor': 'middle', text: '0' }),
      apart(lo) && svg('text', { x: x0, y: h - 6, class: 'axis', 'text-anchor': 'start', text: fmt2(lo) }),
      apart(hi) && svg('text', { x: x1, y: h - 6, class: 'axis', 'text-anchor': 'end', text: fmt2(hi) }),
    ].filter(Boolean),
  );
  drivers.forEach((d, i) => {
    const y = TOP + i * ROW + ROW / 2;
    const cls = d.significant ? 'drv sig' : 'drv ns';
    chart.append(
      svg(
        'g',
        { class: cls, 'data-event': d.event },
        svg('title', { text: `${eventLabel(d.event)}: ${fmt2(d.effect)} (${fmt2(d.low)} … ${fmt2(d.high)})${d.significant ? '' : ', not significant'}; cost ${fmt2(d.cost)}` }),
        svg('text', { x: LABEL - 8, y: y + 4, 'text-anchor': 'end', class: 'drv-label', text: `${eventLabel(d.event)}${d.significant ? '' : ' (n.s.)'}` }),
        svg('line', { x1: x(d.low), x2: x(d.high), y1: y, y2: y, class: 'whisker' }),
        svg('circle', { cx: x(d.effect), cy: y, r: 4.5, class: 'dot' }),
        svg('text', { x: x1 + 10, y: y + 4, class: 'drv-cost', text: fmt2(d.cost) }),
      ),
    );
  });
  return el('figure', { class: 'chart drivers-fig', dataset: { survey } }, el('figcaption', { text: `Next ${survey.toUpperCase()} answer, in ${SURVEY_UNITS[survey] ?? 'points'} per event` }), chart);
}

function table(drivers) {
  return dataTable(
    ['Event', 'Survey', 'Events', 'Answer pairs', 'Effect per event', '95 % interval', 'Significant', 'Portfolio cost'],
    drivers.map((d) =>
      el(
        'tr',
        { dataset: { event: d.event, survey: d.survey } },
        el('th', { scope: 'row', text: eventLabel(d.event) }),
        el('td', { text: d.survey.toUpperCase() }),
        el('td', { class: 'num', text: fmtInt(d.events) }),
        el('td', { class: 'num', text: fmtInt(d.pairs) }),
        el('td', { class: 'num', text: fmt2(d.effect) }),
        el('td', { class: 'num', text: `${fmt2(d.low)} … ${fmt2(d.high)}` }),
        el('td', { text: d.significant ? 'yes' : 'no' }),
        el('td', { class: 'num', text: fmt2(d.cost) }),
      ),
    ),
    { cls: 'small-table', caption: 'Satisfaction drivers, ranked by portfolio cost' },
  );
}

/** Ask the engine for the drivers and draw them. */
export async function renderDrivers() {
  const w = session.worker;
  let res;
  const t0 = performance.now();
  try {
    res = await ask('drivers');
  } catch (e) {
    if (!e.cancelled && session.worker === w) showError({ message: `The drivers could not be computed: ${e.message}` });
    return;
  }
  if (session.worker !== w) return;
  const d = res.drivers;
  const sig = d.drivers.filter((x) => x.significant).length;
  $('drivers-method').textContent = `Method: ${d.method}. Answer pairs: NPS ${fmtInt(d.pairs.nps)}, CSAT ${fmtInt(d.pairs.csat)}, CES ${fmtInt(d.pairs.ces)}.`;
  $('drivers-count').textContent = `${fmtInt(d.drivers.length)} drivers, ${fmtInt(sig)} significant (the 95 % interval excludes 0 and at least ${fmtInt(d.minPairs)} answer pairs hold such an event; the others are hollow and marked n.s.).`;
  const box = clear($('drivers-charts'));
  for (const survey of ['nps', 'csat', 'ces']) {
    const of = d.drivers.filter((x) => x.survey === survey);
    if (of.length) box.append(surveyChart(survey, of));
  }
  if (!d.drivers.length) box.append(el('p', { class: 'muted', text: 'Too few survey answer pairs to estimate any driver.' }));
  if (d.inseparable?.length) box.append(el('p', { class: 'muted', text: `Inseparable (always together, not estimated apart): ${d.inseparable.map((k) => { const [ev, sv] = String(k).split('/'); return `${eventLabel(ev)}${sv ? ` (${sv.toUpperCase()})` : ''}`; }).join('; ')}.` }));
  clear($('drivers-table')).append(table(d.drivers));
  performance.measure('tend:drivers', { start: t0, end: performance.now() });
  document.body.dataset.drivers = String(Number(document.body.dataset.drivers ?? 0) + 1);
}
