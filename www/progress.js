// The run's progress line: its label, its bar and its stages (read, WebAssembly, worklist).
import { $, fmtMB } from './dom.js';

const STAGES = ['read', 'analyze', 'render'];

export function showProgress(source) {
  $('run-status').hidden = false;
  $('run-label').textContent = `Starting the analysis of ${source.name}…`;
  $('run-progress').removeAttribute('value');
  for (const li of document.querySelectorAll('.stages li')) {
    li.className = '';
    li.removeAttribute('aria-current');
  }
}

/** `p`: `{stage, label, loaded?, total?}` as the worker reports it. */
export function updateProgress(p) {
  const bar = $('run-progress');
  let text = p.label;
  if (p.total) {
    const pct = Math.min(100, Math.round((p.loaded / p.total) * 100));
    bar.value = pct;
    text += ` — ${pct} %`;
    if (p.stage === 'read') text += ` of ${fmtMB(p.total)}`;
  } else {
    bar.removeAttribute('value');
    text += '…';
  }
  $('run-label').textContent = text;
  const at = STAGES.indexOf(p.stage);
  for (const li of document.querySelectorAll('.stages li')) {
    const i = STAGES.indexOf(li.dataset.stage);
    li.className = i < at ? 'done' : i === at ? 'active' : '';
    if (i === at) li.setAttribute('aria-current', 'step');
    else li.removeAttribute('aria-current');
  }
}

export function hideProgress() {
  $('run-status').hidden = true;
}
