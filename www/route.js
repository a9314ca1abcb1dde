// Navigation state in the URL: the view (`?view=drivers`; none = the overview, every section on
// one page), the worklist's and the customers list's filters, the This-week window and the open
// customer. Choosing a view, a filter, a window or a customer pushes a history entry (typing in a
// search box replaces it); the back button and a bookmark bring the same screen back.
import { $ } from './dom.js';
import { openCustomer, openCustomerId } from './customer.js';
import { refreshWorklist } from './views/worklist.js';
import { refreshCustomers } from './views/customers.js';
import { setWeekDays, weekDays } from './views/week.js';

export const VIEWS = ['worklist', 'customers', 'week', 'drivers', 'charts', 'reps', 'quality', 'policy'];
// URL parameter → the filter control it restores.
const WORKLIST = { q: 'f-search', owner: 'f-owner', kind: 'f-kind', tier: 'f-tier', band: 'f-band', risk: 'f-risk' };
const CUSTOMERS = { cq: 'cl-search', cowner: 'cl-owner', ctier: 'cl-tier', cstage: 'cl-stage', cband: 'cl-band', crisk: 'cl-risk', clapse: 'cl-lapse' };

let applying = false; // restoring a URL: the changes it makes are not pushed again
let ready = false; // the first load is shown

export const currentView = () => document.body.dataset.view || '';

function showView(view) {
  const v = VIEWS.includes(view) ? view : '';
  document.body.dataset.view = v;
  for (const a of document.querySelectorAll('nav.sections a')) {
    if ((a.dataset.view ?? '') === v) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

/** The URL of the screen shown. */
function urlOfScreen() {
  const p = new URLSearchParams();
  if (currentView()) p.set('view', currentView());
  for (const [k, id] of Object.entries({ ...WORKLIST, ...CUSTOMERS })) {
    const v = $(id).value.trim();
    if (v) p.set(k, v);
  }
  if (weekDays() !== 7) p.set('days', String(weekDays()));
  const c = openCustomerId();
  if (c) p.set('customer', c);
  const s = p.toString();
  return `${location.pathname}${s ? `?${s}` : ''}`;
}

/** Record the screen: a new history entry, or (`replace`) the current one. */
export function record({ replace = false } = {}) {
  if (applying || !ready) return;
  const url = urlOfScreen();
  if (url === `${location.pathname}${location.search}`) return;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
}

function setControls(map, p) {
  let changed = false;
  for (const [k, id] of Object.entries(map)) {
    const e = $(id);
    const v = p.get(k) ?? '';
    if (e.value === v) continue;
    e.value = v;
    if (e.tagName === 'SELECT' && e.value !== v) e.value = ''; // a value this data does not have
    changed = true;
  }
  return changed;
}

/** Bring back the screen of the URL. */
export async function restore() {
  applying = true;
  try {
    const p = new URLSearchParams(location.search);
    const view = p.get('view') ?? '';
    showView(view);
    const jobs = [];
    if (setControls(WORKLIST, p)) jobs.push(refreshWorklist());
    if (setControls(CUSTOMERS, p)) jobs.push(refreshCustomers());
    const days = p.get('days') === '30' ? 30 : 7;
    if (days !== weekDays()) jobs.push(setWeekDays(days));
    const id = p.get('customer');
    const dlg = $('customer');
    if (id && (id !== openCustomerId() || !dlg.open)) jobs.push(openCustomer(id));
    else if (!id && dlg.open) dlg.close();
    await Promise.all(jobs);
    if (view && !id) $(view)?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  } finally {
    applying = false;
  }
}

/** After the first load is shown: restore the URL's screen, then record every change. */
export async function startRoute() {
  if (ready) return;
  await restore();
  ready = true;
  document.body.dataset.route = 'ready';
}

export function setupRoute() {
  showView(new URLSearchParams(location.search).get('view') ?? '');
  for (const a of document.querySelectorAll('nav.sections a[data-view]')) {
    a.addEventListener('click', (e) => {
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.button) return;
      e.preventDefault();
      showView(a.dataset.view);
      record();
      const target = $(a.dataset.view);
      target?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    });
  }
  for (const form of ['filters', 'cl-filters']) {
    $(form).addEventListener('change', () => record());
    $(form).addEventListener('input', (e) => (e.target.type === 'search' || e.target.type === 'number') && record({ replace: true }));
    $(form).addEventListener('reset', () => setTimeout(() => record(), 0));
  }
  document.addEventListener('tend:customer', () => record());
  window.addEventListener('popstate', () => ready && restore());
}
