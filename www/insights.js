// The customer panel's insights beside its report: when it is expected to lapse (or since when it
// has), the next order its own rhythm expects, a one-line explanation where two labels can look
// contradictory, and the satisfaction drivers whose events hit it.
import { el, fmt2, fmtInt, fmtDate, dataTable, section } from './dom.js';
import { eventLabel } from './shared.js';

/** The predicted lapse and the rhythm's next order, in words (null without orders). */
export function lapseText(b) {
  if (!b || b.status === 'not_recorded' || b.status === 'never') return null;
  const parts = [];
  if (b.lapsedSince) parts.push(`lapsed since ${fmtDate(b.lapsedSince)}`);
  else if (b.lapseAt) parts.push(`predicted to lapse around ${fmtDate(b.lapseAt)}`);
  if (b.nextOrderExpected) parts.push(`next order due ${fmtDate(b.nextOrderExpected)}${b.overdueDays > 0 ? ` (${fmtInt(b.overdueDays)} days overdue)` : ''}`);
  return parts.length ? parts.join(' · ') : null;
}

const WEAK_SEGMENTS = new Set(['Lost', 'Hibernating', 'At Risk', "Can't Lose Them", 'Need Attention']);
const GOOD_STATUS = new Set(['steady', 'growing', 'new']);

/**
 * A line saying what each label measures when they seem to disagree: the RFM segment ranks the
 * customer's recency, frequency and spend against the portfolio's other buyers; the buying status
 * compares it with its own rhythm; health weighs satisfaction, buying, attention and service.
 */
export function labelNote(c) {
  const seg = c.value.rfm?.segment;
  const status = c.buying.status;
  if (!seg || status === 'not_recorded' || status === 'never') return null;
  const weakSeg = WEAK_SEGMENTS.has(seg);
  const goodStatus = GOOD_STATUS.has(status);
  if (weakSeg === goodStatus || (!weakSeg && status === 'slowing')) {
    return `Why “${seg}” beside “${status}”: the RFM segment ranks this customer's last order, order count and spend against the portfolio's other buyers (recency quintile ${c.value.rfm.r} of 5), while the buying status compares its recent orders with its own usual rhythm${c.buying.medianGapDays !== null ? ` (an order every ${fmtInt(c.buying.medianGapDays)} days)` : ''}; health (${c.health.band}) weighs satisfaction, buying, attention and service.`;
  }
  return null;
}

const driverSection = (...content) => Object.assign(section('Drivers that hit this customer', ...content), { id: 'cust-drivers' });

/** The drivers whose events hit this customer in the last 365 days (`drivers` null: not available). */
export function driversSection(drivers) {
  if (drivers === null || drivers === undefined) return driverSection(el('p', { class: 'muted', text: 'Not available from this version of the engine.' }));
  if (!drivers.length) return driverSection(el('p', { class: 'muted', text: 'None of the events that move satisfaction hit this customer in the last 365 days.' }));
  return driverSection(
    el('p', { class: 'muted', text: 'Events this customer had in the last 365 days, with their association with the next survey answer across the portfolio (95 % interval); cost = effect × this customer’s events.' }),
    dataTable(
      ['Event', 'Survey', 'Its events', 'Effect per event', '95 % interval', 'Cost', 'Significant'],
      drivers.map((d) =>
        el(
          'tr',
          { dataset: { event: d.event, survey: d.survey } },
          el('td', { text: eventLabel(d.event) }),
          el('td', { text: d.survey.toUpperCase() }),
          el('td', { class: 'num', text: fmtInt(d.events) }),
          el('td', { class: 'num', text: fmt2(d.effect) }),
          el('td', { class: 'num', text: `${fmt2(d.low)} … ${fmt2(d.high)}` }),
          el('td', { class: 'num', text: fmt2(d.cost) }),
          el('td', { text: d.significant ? 'yes' : 'no' }),
        ),
      ),
    ),
  );
}
