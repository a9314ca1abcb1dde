// A small export with one planted satisfaction driver, for the drivers view's e2e test:
// customers answer NPS every five to seven weeks; a broken promise (not kept by its due date)
// in the span before an answer lowers that answer by `effect` NPS points; a damaged delivery
// (on time) happens as often and moves nothing. Scores are the customer's own level + the
// planted effects + noise, so the within-customer change of the next answer (what
// src/drivers/ regresses) carries the effect. Deterministic: a seeded RNG (mulberry32).
//
//   plantedDrivers({ customers, seed, effect }) → { asOf, data } (the demo page's JSON export)

const DAY = 86_400_000;

/** mulberry32: a seeded RNG in [0, 1). */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// To the minute, as exports usually are.
const iso = (t) => new Date(Math.round(t / 60_000) * 60_000).toISOString().replace('.000Z', 'Z');

/** The driver that is planted and the one that is not. */
export const PLANTED = { event: 'promises.broken', survey: 'nps' };
export const NULL_EVENT = { event: 'deliveries.problem:damaged', survey: 'nps' };

export function plantedDrivers({ customers = 80, seed = 20261120, effect = -2.5 } = {}) {
  const r = rng(seed);
  const between = (a, b) => a + r() * (b - a);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const asOf = Date.parse('2026-06-01T00:00:00Z');
  const start = Date.parse('2025-01-06T09:00:00Z');
  const data = { customers: [], orders: [], feedback: [], promises: [], deliveries: [] };
  for (let c = 0; c < customers; c++) {
    const id = `P${String(c + 1).padStart(4, '0')}`;
    data.customers.push({ id, name: `Planted Customer ${c + 1}`, owner: ['Ana Silva', 'Ben Okafor'][c % 2], createdAt: '2024-06-01' });
    const base = between(6.5, 9);
    let t = start + between(0, 30) * DAY;
    let k = 0;
    for (; t < asOf - 7 * DAY; k++) {
      // The span before this answer (none before the first): its events and their effect.
      let shift = 0;
      if (k > 0) {
        const from = t - 35 * DAY;
        if (r() < 0.35) {
          const due = from + between(5, 25) * DAY;
          data.promises.push({ id: `PR-${id}-${k}`, customerId: id, madeAt: iso(due - 4 * DAY), dueAt: iso(due), keptAt: iso(due + 3 * DAY), owner: 'Ana Silva', text: 'Send the corrected invoice' });
          shift += effect;
        }
        if (r() < 0.35) {
          const promised = from + between(5, 25) * DAY;
          data.deliveries.push({ id: `DL-${id}-${k}`, customerId: id, promisedAt: iso(promised), deliveredAt: iso(promised - DAY), problem: 'damaged' });
        }
      }
      const score = Math.round(Math.min(10, Math.max(0, base + shift + 0.8 * normal())));
      data.feedback.push({ id: `FB-${id}-${k}`, customerId: id, at: iso(t), kind: 'nps', score });
      data.orders.push({ id: `OR-${id}-${k}`, customerId: id, at: iso(t - 2 * DAY), amount: Math.round(between(200, 900) * 100) / 100 });
      t += between(35, 49) * DAY;
    }
  }
  return { asOf: iso(asOf), data };
}
