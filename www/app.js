// Tend's demo page. The data is loaded into a Tend engine in a module Web Worker (worker/index.js);
// this thread holds only what is on screen — the summary, the pages shown, the open customer —
// and asks the worker for the rest. Each load gets a fresh worker, so the previous results stay
// usable until the new ones are in (or the run is cancelled), and the previous engine goes with
// its worker.
import { yieldTask } from './dom.js';
import { AnalysisWorker, session } from './client.js';
import { hideError, showError, showNotice } from './messages.js';
import { showProgress, updateProgress, hideProgress } from './progress.js';
import { renderSourceLine, renderFigures, renderReps } from './views/dashboard.js';
import { renderDaily, renderFacetCharts } from './views/charts.js';
import { setupWorklist, renderFilters, renderKinds, refreshWorklist } from './views/worklist.js';
import { setupCustomers, refreshCustomers, renderCustomerOwners } from './views/customers.js';
import { setupQuality, renderQuality } from './views/quality.js';
import { setupDialog } from './customer.js';
import { fillPolicy, setupPolicy } from './views/policy.js';
import { setupFiles, showCsvMap, loadSample } from './files.js';
import { setupWeek, refreshWeek } from './views/week.js';
import { renderDrivers } from './views/drivers.js';
import { setupRoute, startRoute, record } from './route.js';

let running = null; // the worker of the run in progress
let spare = null; // a fresh worker, its wasm compiled, for the next run
let runs = 0;

function freshWorker() {
  const w = spare ?? new AnalysisWorker();
  spare = null;
  return w;
}

// Warm the next worker while the user reads.
function warmSpare() {
  if (spare) return;
  spare = new AnalysisWorker();
  spare.call('warm').catch(() => {});
}

function setState(s) {
  document.body.dataset.state = s;
}

async function analyse(source, options = {}, { chosenAt = null } = {}) {
  if (running) cancelRun({ quiet: true });
  hideError();
  const w = freshWorker();
  running = w;
  setState('running');
  showProgress(source);
  w.onprogress = (p) => running === w && updateProgress(p);
  let res;
  try {
    res = await w.call('load', { source, options });
  } catch (e) {
    if (e.cancelled || running !== w) return;
    running = null;
    w.terminate();
    hideProgress();
    showError(e.details ?? { message: e.message }, source);
    setState(session.summary ? 'ready' : 'error');
    return;
  }
  if (running !== w) return;
  running = null;
  const previous = session.worker;
  Object.assign(session, { worker: w, summary: null, source });
  previous?.terminate();
  try {
    await show(w, res.loaded, source, chosenAt);
  } catch (e) {
    if (!e.cancelled && session.worker === w) showError({ message: e.message });
  }
  warmSpare();
}

// Render a new load: the worklist first, then the summary and the rest, task by task.
async function show(w, loaded, source, chosenAt) {
  updateProgress({ stage: 'render', label: 'Rendering the worklist' });
  await refreshWorklist();
  performance.mark('tend:worklist-rendered', { detail: { ...loaded.timings, bytes: loaded.source.bytes } });
  if (chosenAt !== null) performance.measure('tend:choose-to-worklist', { start: chosenAt, end: performance.now() });
  hideProgress();
  const { summary: s } = await w.call('summary');
  if (session.worker !== w) return;
  session.summary = s;
  document.getElementById('version').textContent = s.version;
  renderSourceLine(s, source, () => showCsvMap(source.files.map((f) => ({ file: f.file, table: f.table }))));
  renderFigures(s);
  if (renderFilters(s)) refreshWorklist();
  renderCustomerOwners(s);
  fillPolicy(s.policy);
  await yieldTask();
  renderReps(s);
  await Promise.all([renderQuality(s, source), refreshCustomers(), refreshWeek()]);
  await yieldTask();
  renderDaily(s);
  await startRoute();
  runs++;
  document.body.dataset.runs = String(runs);
  setState('ready');
  performance.mark('tend:ready', { detail: { ...s.timings, customers: s.customers, worklist: s.actions, bytes: s.source.bytes } });
  showFacets(w, runs).then(() => session.worker === w && renderDrivers());
}

// The health distribution, tier × risk and the actions per kind, counted by the worker after
// the page is usable.
async function showFacets(w, run) {
  let f;
  try {
    f = await w.call('facets');
  } catch (e) {
    if (!e.cancelled && session.worker === w) showError({ message: `The charts could not be computed: ${e.message}` });
    return;
  }
  if (session.worker !== w) return;
  renderKinds(f.kindCounts);
  await renderFacetCharts(f);
  document.body.dataset.facets = String(run);
}

function cancelRun({ quiet = false } = {}) {
  if (!running) return;
  running.terminate();
  running = null;
  hideProgress();
  warmSpare(); // so that the next run starts at once
  setState(session.summary ? 'ready' : 'idle');
  if (!quiet) showNotice(session.summary ? 'Analysis cancelled: the previous results are still shown.' : 'Analysis cancelled.');
}

setupWorklist();
setupCustomers();
setupQuality();
setupDialog();
setupWeek(() => record());
setupRoute();
setupPolicy((options) => session.source && analyse(session.source, options));
setupFiles(analyse, () => cancelRun());
setState('idle');
loadSample();
