// The charts (Chart.js, drawn on canvases, each with its data table): the daily NPS and CSAT
// from the summary, then — once the worker has counted them (facets) — the health distribution
// and tier × risk. Each chart is drawn in a task of its own, so that no task is long.
import { $, el, clear, fmt1, fmt2, fmtInt, yieldTask } from '../dom.js';

const charts = {};
const COLORS = {
  nps: '#1d4ed8',
  csat: '#047857',
  green: '#15803d',
  amber: '#b45309',
  red: '#b91c1c',
  low: '#6b9e78',
  medium: '#d4a017',
  high: '#e07b39',
  critical: '#b91c1c',
  grid: '#e5e7eb',
  text: '#374151',
};

function chart(id, config) {
  if (typeof window.Chart !== 'function') return null;
  if (charts[id]) {
    charts[id].data = config.data;
    charts[id].options = config.options;
    charts[id].update('none');
    return charts[id];
  }
  charts[id] = new window.Chart($(id), config);
  return charts[id];
}

function fillTable(id, headers, rows) {
  const t = clear($(id));
  t.append(el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col', text: h })))));
  t.append(el('tbody', {}, rows.map((r) => el('tr', {}, r.map((v, i) => (i === 0 ? el('th', { scope: 'row', text: v }) : el('td', { class: 'num', text: v })))))));
}

const base = { responsive: true, maintainAspectRatio: false, animation: false, interaction: { mode: 'index', intersect: false } };
let defaultsSet = false;

function setDefaults() {
  if (defaultsSet || !window.Chart) return;
  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.color = COLORS.text;
  window.Chart.defaults.animation = false;
  defaultsSet = true;
}

/** The daily NPS and CSAT of the summary (`s.daily`). */
export function renderDaily(s) {
  setDefaults();
  chart('chart-daily', {
    type: 'line',
    data: {
      labels: s.daily.map((d) => d.date.slice(5)),
      datasets: [
        { label: 'NPS', data: s.daily.map((d) => d.nps), borderColor: COLORS.nps, backgroundColor: COLORS.nps, yAxisID: 'y', pointRadius: 0, borderWidth: 2, spanGaps: true },
        { label: 'CSAT %', data: s.daily.map((d) => d.csat), borderColor: COLORS.csat, backgroundColor: COLORS.csat, yAxisID: 'y1', pointRadius: 0, borderWidth: 2, borderDash: [6, 3], spanGaps: true },
      ],
    },
    options: {
      ...base,
      plugins: { legend: { labels: { usePointStyle: true, pointStyle: 'line' } } },
      scales: {
        x: { ticks: { maxTicksLimit: 6 }, grid: { display: false } },
        y: { position: 'left', title: { display: true, text: 'NPS' }, suggestedMin: -20, suggestedMax: 80, grid: { color: COLORS.grid } },
        y1: { position: 'right', title: { display: true, text: 'CSAT %' }, min: 0, max: 100, grid: { display: false } },
      },
    },
  });
  fillTable('tbl-daily', ['Date', 'NPS', 'CSAT %', 'CES', 'Answers', 'Open complaints'], s.daily.map((d) => [d.date, fmt1(d.nps), fmt1(d.csat), fmt2(d.ces), fmtInt(d.responses), fmtInt(d.openComplaints)]));
}

/** The health distribution and tier × risk, from the worker's facets (`hist`, `histBand`, `tierRisk`). */
export async function renderFacetCharts(s) {
  setDefaults();

  const labels = s.hist.map((_, i) => (i === 9 ? '90–100' : `${i * 10}–${i * 10 + 9}`));
  chart('chart-health', {
    type: 'bar',
    data: {
      labels,
      datasets: ['red', 'amber', 'green'].map((b) => ({ label: b, data: s.histBand.map((h) => h[b]), backgroundColor: COLORS[b], stack: 'h' })),
    },
    options: { ...base, scales: { x: { stacked: true, grid: { display: false }, title: { display: true, text: 'health score' } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'customers' }, grid: { color: COLORS.grid } } } },
  });
  fillTable('tbl-health', ['Health', 'Red', 'Amber', 'Green', 'Customers'], labels.map((l, i) => [l, fmtInt(s.histBand[i].red), fmtInt(s.histBand[i].amber), fmtInt(s.histBand[i].green), fmtInt(s.hist[i])]));

  await yieldTask();
  const risks = ['low', 'medium', 'high', 'critical'];
  chart('chart-tier', {
    type: 'bar',
    data: {
      labels: ['Tier A', 'Tier B', 'Tier C'],
      datasets: risks.map((r) => ({ label: r, data: ['A', 'B', 'C'].map((t) => s.tierRisk[t][r]), backgroundColor: COLORS[r], stack: 't' })),
    },
    options: { ...base, scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'customers' }, grid: { color: COLORS.grid } } } },
  });
  fillTable('tbl-tier', ['Tier', 'Low', 'Medium', 'High', 'Critical'], ['A', 'B', 'C'].map((t) => [t, ...risks.map((r) => fmtInt(s.tierRisk[t][r]))]));
}

