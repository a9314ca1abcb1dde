// The buying-model API of the package on the CDNOW sample: the published BG/NBD, Gamma-Gamma
// and conditional-expectation figures, through wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const { analyze } = await import('../../pkg/index.js');
// The buying-model API is its own module (tend-crm/models): a page that only scores never loads it.
const { fitBuyingModel, scoreBuying, TendError } = await import('../../pkg/models.js');

function summaries() {
  const lines = readFileSync(path.join(ROOT, 'tests/data/cdnow_summary_with_monetary_value.csv'), 'utf8').trim().split('\n').slice(1);
  return lines.map((l) => {
    const [id, frequency, recency, T, m] = l.split(',');
    return { id, frequency: Number(frequency), recency: Number(recency), T: Number(T), monetaryValue: Number(m) };
  });
}

function near(got, want, rel, what) {
  assert.ok(Math.abs((got - want) / want) <= rel, `${what}: got ${got}, published ${want}`);
}

test('BG/NBD and Gamma-Gamma on CDNOW match the published parameters', () => {
  const fit = fitBuyingModel({ summaries: summaries() }, { model: 'bgnbd', spend: 'gammagamma', timeUnit: 'week' });
  assert.equal(fit.model, 'bgnbd');
  assert.equal(fit.customers, 2357);
  assert.equal(fit.converged, true);
  near(fit.logLikelihood, -9582.4, 1e-5, 'LL');
  near(fit.params.r, 0.243, 2e-3, 'r');
  near(fit.params.alpha, 4.414, 1e-3, 'alpha');
  near(fit.params.a, 0.793, 1e-3, 'a');
  near(fit.params.b, 2.426, 1e-3, 'b');
  near(fit.spend.params.p, 6.25, 1e-3, 'p');
  near(fit.spend.params.q, 3.74, 2e-3, 'q');
  near(fit.spend.params.gamma, 15.44, 1e-3, 'gamma');
  const [c] = scoreBuying(fit, [{ id: 1, frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 }], { horizon: 39, discountRate: 0 });
  assert.equal(c.id, '1');
  assert.ok(Math.abs(c.expectedPurchases - 1.226) < 2e-3, String(c.expectedPurchases));
  assert.ok(c.pAlive > 0 && c.pAlive <= 1);
  assert.ok(c.clv > 0 && c.expectedSpend > 0);
});

test('Pareto/NBD on CDNOW matches the published log-likelihood', () => {
  const fit = fitBuyingModel({ summaries: summaries() }, { model: 'paretonbd' });
  assert.ok(Math.abs(fit.logLikelihood - -9595.0) < 0.1, String(fit.logLikelihood));
  near(fit.params.s, 0.606, 0.01, 's');
});

test('orders need an explicit time unit; bad input names its path', () => {
  const orders = [{ customerId: 'a', at: '2026-01-01', amount: 5 }];
  assert.throws(() => fitBuyingModel({ orders }, { asOf: new Date('2026-02-01') }), (e) => e instanceof TendError && e.path === 'options.timeUnit');
  assert.throws(() => fitBuyingModel({ orders }, { asOf: '2026-02-01', timeUnit: 'week' }), (e) => e instanceof TendError && e.code === 'fit_failed');
  assert.throws(
    () => fitBuyingModel({ summaries: [{ id: 'a', frequency: -1, recency: 0, T: 1 }] }, {}),
    (e) => e instanceof TendError && e.path === 'input.summaries[0].frequency',
  );
  // The module keeps working.
  assert.equal(fitBuyingModel({ summaries: summaries() }, {}).converged, true);
});

test('a stored report.models scores a small page with the portfolio model', () => {
  const rows = summaries();
  // A portfolio export from the CDNOW orders would be large; the stored fit is what matters.
  const fit = fitBuyingModel({ summaries: rows }, { spend: 'gammagamma' });
  const models = { buying: { model: fit.model, params: fit.params, logLikelihood: fit.logLikelihood, customers: fit.customers, converged: true, message: null }, spend: fit.spend, timeUnit: 'week' };
  const page = { customers: [{ id: 'x' }], orders: [
    { id: 1, customerId: 'x', at: '2026-01-05', amount: 30 }, { id: 2, customerId: 'x', at: '2026-03-01', amount: 20 },
  ] };
  const r = analyze(page, { asOf: '2026-04-01', models });
  assert.equal(r.models.source, 'options');
  assert.equal(typeof r.customers[0].buying.pAlive, 'number');
  assert.equal(typeof r.customers[0].value.clv, 'number');
  const without = analyze(page, { asOf: '2026-04-01' });
  assert.equal(without.models.source, 'none');
  assert.equal(without.customers[0].buying.pAlive, null);
});
