// Figures for the charts and the filters that the engine's summary does not give, computed in
// the worker from the engine's own pages (no report is built, no list is held):
//   tierRisk    customers per value tier × risk level (one count query per pair);
//   hist        customers per 10 health points, split by band (per band, the customers sorted
//               by health, then a binary search for each decile boundary on pages of one row);
//   kindCounts  worklist actions per kind (one count query per kind).
// It yields between groups, so that the page's requests are answered in between.
import { TIERS, RISKS, BANDS, KIND_LABELS } from '../shared.js';

const pause = () => new Promise((r) => setTimeout(r, 0));

function tierRisk(engine) {
  const out = {};
  for (const tier of TIERS) {
    out[tier] = {};
    for (const risk of RISKS) out[tier][risk] = engine.customers({ tier, risk, limit: 0 }).total;
  }
  return out;
}

// Customers of `band` per 10 health points (the last bin holds 90–100). The engine keeps the
// sorted list of its last customers query, so the steps of one band cost a page of one row each.
function bandDeciles(engine, band) {
  const q = { band, sort: 'health:asc' };
  const total = engine.customers({ ...q, limit: 0 }).total;
  const healthAt = (offset) => engine.customers({ ...q, offset, limit: 1 }).items[0].health;
  const below = [0];
  let lo = 0;
  for (let d = 1; d < 10; d++) {
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (healthAt(mid) < d * 10) lo = mid + 1;
      else hi = mid;
    }
    below.push(lo);
  }
  below.push(total);
  return below.slice(1).map((n, i) => n - below[i]);
}

/** `{ tierRisk, hist, histBand, kindCounts }` of the loaded engine. */
export async function facets(engine) {
  const tr = tierRisk(engine);
  await pause();
  const histBand = Array.from({ length: 10 }, () => Object.fromEntries(BANDS.map((b) => [b, 0])));
  for (const band of BANDS) {
    bandDeciles(engine, band).forEach((n, i) => (histBand[i][band] = n));
    await pause();
  }
  const hist = histBand.map((h) => BANDS.reduce((s, b) => s + h[b], 0));
  const kindCounts = {};
  for (const kind of Object.keys(KIND_LABELS)) {
    kindCounts[kind] = engine.worklist({ kind, limit: 0 }).total;
    await pause();
  }
  return { tierRisk: tr, hist, histBand, kindCounts };
}
