// Issue 12 through the package: drivers(), history(), changes() and the trend's causes, each
// against another part of the API that must agree with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Tend, TendError, analyze } from '../../pkg/index.js';
import { SAMPLE, smallExport, AS_OF } from './helpers.mjs';

const sample = JSON.parse(readFileSync(SAMPLE, 'utf8'));
const near = (a, b) => Math.abs(a - b) < 1e-6;
const sum = (xs) => xs.reduce((s, x) => s + x, 0);

test('drivers(): the report has the same; each driver is a kind, a survey and an interval around its effect', () => {
  const tend = Tend.load(sample);
  try {
    const d = tend.drivers();
    assert.deepEqual(d, tend.report().drivers);
    assert.deepEqual(d, analyze(sample).drivers);
    assert.equal(typeof d.method, 'string');
    assert.ok(d.pairs.nps + d.pairs.csat + d.pairs.ces > 0, 'the sample has answer pairs');
    for (const x of d.drivers) {
      assert.match(x.event, /^(deliveries\.(late|problem:\w+)|complaints\.(category:\w+|severity:\w+|firstResponse\.late|resolution\.late)|promises\.broken|contacts\.(unreturned|outreachGap))$/);
      assert.ok(['nps', 'csat', 'ces'].includes(x.survey));
      assert.ok(x.low <= x.effect && x.effect <= x.high, JSON.stringify(x));
      assert.ok(x.pairs <= x.events && x.pairs > 0, JSON.stringify(x));
      assert.ok(near(x.cost, Math.round(x.effect * x.events * 100) / 100) || Math.abs(x.cost - x.effect * x.events) < 0.01 * x.events, JSON.stringify(x));
      if (x.significant) assert.ok(x.pairs >= d.minPairs && (x.low > 0 || x.high < 0), JSON.stringify(x));
      assert.equal('promoters' in x, x.survey === 'nps');
    }
    const costs = d.drivers.map((x) => x.cost);
    assert.deepEqual(costs, [...costs].sort((a, b) => a - b), 'ranked by cost, the most costly first');
    // An update re-computes them: one more NPS pair.
    const c = sample.data.customers[0].id;
    const before = tend.drivers().pairs.nps;
    tend.update({ upsert: { feedback: [{ id: 'x-f1', customerId: c, at: '2026-11-19T10:00:00Z', kind: 'nps', score: 3 }, { id: 'x-f2', customerId: c, at: '2026-11-20T10:00:00Z', kind: 'nps', score: 4 }] } });
    assert.ok(tend.drivers().pairs.nps >= before + 1);
    assert.deepEqual(tend.drivers(), tend.report().drivers);
  } finally {
    tend.free();
  }
});

test('driversOf(id): the portfolio drivers whose events hit one customer, with its own counts', () => {
  const tend = Tend.load(sample);
  try {
    const all = tend.drivers().drivers;
    let hit = 0;
    for (const r of tend.customers({ limit: 300 }).items) {
      const mine = tend.driversOf(r.id);
      assert.ok(Array.isArray(mine));
      for (const d of mine) {
        const p = all.find((x) => x.event === d.event && x.survey === d.survey);
        assert.ok(p, `${d.event}/${d.survey} is a portfolio driver`);
        assert.deepEqual([d.effect, d.low, d.high, d.significant], [p.effect, p.low, p.high, p.significant]);
        assert.ok(d.events > 0);
        assert.ok(Math.abs(d.cost - d.effect * d.events) < 0.006, JSON.stringify(d));
      }
      const costs = mine.map((d) => d.cost);
      assert.deepEqual(costs, [...costs].sort((a, b) => a - b));
      hit += mine.length > 0;
    }
    assert.ok(hit > 0, 'some customers are hit by a driver');
    assert.equal(tend.driversOf('nobody'), null);
  } finally {
    tend.free();
  }
});

test('history(): weekly points ending at asOf, each what at() says that day; changes add up', () => {
  const tend = Tend.load(sample);
  const models = tend.models();
  const ids = tend.customers({ limit: 5, sort: 'risk' }).items.map((r) => r.id);
  try {
    for (const id of ids) {
      const h = tend.history(id, { weeks: 4 });
      assert.equal(h.id, id);
      assert.equal(h.weeks, 4);
      assert.ok(h.points.length >= 1 && h.points.length <= 5);
      assert.equal(h.changes.length, h.points.length - 1);
      const now = tend.customer(id);
      const last = h.points.at(-1);
      assert.equal(Date.parse(last.at), Date.parse(tend.summary().asOf));
      assert.equal(last.health.score, now.health.score);
      assert.equal(last.stage, now.stage);
      // A past point: a fresh engine at that instant with the same model says the same.
      const p = h.points[0];
      const then = Tend.load(sample, { asOf: p.at, models });
      try {
        const r = then.customer(id);
        assert.equal(p.health.score, r.health.score, `${id} at ${p.at}`);
        assert.equal(p.health.band, r.health.band);
        assert.equal(p.health.components.attention, r.health.components.attention.score);
      } finally {
        then.free();
      }
      for (const c of h.changes) {
        assert.ok(near(sum(Object.values(c.components)), c.delta), JSON.stringify(c));
        for (const [k, v] of Object.entries(c.components)) assert.ok(near(sum(c.causes.filter((x) => x.component === k).map((x) => x.delta)), v), `${k}: ${JSON.stringify(c)}`);
        for (const x of c.causes) assert.match(x.message, /^[+−]\d/);
      }
      // The 30-day trend is attributed the same way.
      if (now.health.trend !== null) {
        assert.ok(near(sum(Object.values(now.health.trendComponents)), now.health.trend));
        assert.ok(near(sum(now.health.trendCauses.map((x) => x.delta)), now.health.trend));
      }
    }
    assert.equal(tend.history('nobody'), null);
    assert.equal(tend.history(ids[0]).points.length <= 27, true, 'the default is 26 weeks');
    for (const weeks of [0, 105, 2.5, '26', -1]) {
      assert.throws(() => tend.history(ids[0], { weeks }), (e) => e instanceof TendError && e.code === 'invalid_option' && e.path === 'options.weeks', String(weeks));
    }
    assert.throws(() => tend.history(ids[0], { week: 3 }), (e) => e instanceof TendError && e.path === 'options');
  } finally {
    tend.free();
  }
});

test('changes(): the summary counts what the pages hold; rows are customers rows with what they entered', () => {
  const tend = Tend.load(sample);
  try {
    const s = tend.summary().changes;
    for (const days of [7, 30]) {
      const page = tend.changes({ days, limit: 1000 });
      assert.equal(page.days, days);
      assert.deepEqual(page.entered, s[`days${days}`]);
      const counted = { red: 0, highRisk: 0, dissolution: 0 };
      for (const r of page.items) {
        assert.ok(r.entered.length > 0);
        for (const k of r.entered) counted[{ red: 'red', high_risk: 'highRisk', dissolution: 'dissolution' }[k]] += 1;
        const row = tend.customers({ search: r.id, limit: 50 }).items.find((x) => x.id === r.id);
        for (const k of ['name', 'owner', 'health', 'band', 'stage']) assert.deepEqual(r[k], row[k], k);
        if (r.entered.includes('red')) assert.equal(r.band, 'red');
        assert.equal(r.red === null, r.band !== 'red');
      }
      assert.deepEqual(counted, page.entered);
      const values = page.items.map((r) => r.value);
      assert.deepEqual(values, [...values].sort((a, b) => b - a), 'by value');
    }
    const all = tend.changes({ all: true, limit: 1000 });
    assert.ok(all.total >= tend.changes({ limit: 1000 }).total);
    for (const bad of [{ days: 14 }, { limit: 0 }, { sort: 'x' }]) {
      assert.throws(() => tend.changes(bad), (e) => e instanceof TendError && e.code === 'invalid_option', JSON.stringify(bad));
    }
  } finally {
    tend.free();
  }
});

test('a small export: no survey pairs, no drivers; history of a customer known for a week', () => {
  const tend = Tend.load(smallExport(), { asOf: AS_OF });
  try {
    const d = tend.drivers();
    assert.deepEqual(d.drivers, []);
    assert.deepEqual(d.pairs, { nps: 0, csat: 0, ces: 0 });
    const h = tend.history('c1', { weeks: 2 });
    assert.equal(h.points.length, 3);
  } finally {
    tend.free();
  }
});
