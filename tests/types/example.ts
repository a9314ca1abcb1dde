// Type tests of pkg/index.d.ts: `tsc --noEmit -p tsconfig.json` (part of `make test`).
// Every `@ts-expect-error` proves that the types reject a mistake; tsc fails if one stops biting.
import { analyze, analyzeTimed, isTendError, TendError, version, type Cause, type ChangesPage, type DriverEvent, type Drivers, type Entered, type Envelope, type Export, type History, type NeglectFlag, type Options, type Report } from 'tend-crm';
import { init, initSync, isReady } from 'tend-crm/core';

const data: Export = {
  customers: [
    { id: 'c1', name: 'Acme', owner: 'Alice', createdAt: new Date('2025-01-01'), segment: 'retail' },
    { id: 2, referredBy: 'c1', name: null },
  ],
  orders: [
    { id: 'o1', customerId: 'c1', at: '2026-10-01', amount: 120 },
    { id: 'o2', customerId: 'c1', at: new Date(), amount: -20, kind: 'refund' },
  ],
  contacts: [{ id: 'k1', customerId: 'c1', at: '2026-11-19T09:30:00Z', direction: 'inbound', channel: 'call', status: 'missed' }],
  complaints: [{ id: 'q1', customerId: 2, openedAt: '2026-11-02', severity: 'high', category: 'billing', resolvedAt: null }],
  promises: [{ id: 'p1', customerId: 2, madeAt: '2026-11-02', dueAt: '2026-11-10', owner: 'Bob', text: 'Send the quote' }],
  feedback: [{ id: 'f1', customerId: 2, at: '2026-11-02', kind: 'nps', score: 4, comment: 'slow' }],
  deliveries: [{ id: 'd1', customerId: 'c1', promisedAt: '2026-11-12', problem: 'wrong_item' }],
  snoozes: [{ customerId: 'c1', until: '2026-12-24', reason: 'holiday', kinds: ['no_outreach'] }],
};

const options: Options = {
  asOf: new Date('2026-11-26T09:30:00Z'),
  policy: {
    timezone: '+01:00',
    workdays: ['mon', 'tue', 'wed', 'thu', 5],
    holidays: ['2026-12-25', new Date('2026-12-26')],
    complaintResolveWithin: { critical: 1 },
    outreachEvery: { A: 14 },
    zones: { nps: { affection: 9 } },
  },
};

const report: Report = analyze(data, options);
analyze('{"customers": []}');
analyze(new Uint8Array(), { asOf: '2026-11-26' });

for (const c of report.customers) {
  const name: string = c.name ?? c.id;
  const tier: 'A' | 'B' | 'C' = c.value.tier;
  const zone: 'defection' | 'indifference' | 'affection' | null = c.satisfaction.zone;
  const segment: string | undefined = c.value.rfm?.segment;
  for (const f of c.neglect) {
    const flag: NeglectFlag = f;
    const where: string = flag.evidence ? `${flag.evidence.table}#${flag.evidence.id}` : 'no row';
    const until: string | undefined = flag.snooze?.until;
    console.log(name, tier, zone, segment, where, until, flag.overdue.toFixed(1), flag.message);
    // @ts-expect-error: the kind is a closed union
    const wrongKind: NeglectFlag['kind'] = 'late_invoice';
    // @ts-expect-error: evidence may be null
    console.log(flag.evidence.table, wrongKind);
  }
}
const counts: number = report.input.orders.received - report.input.orders.used;
const firstRejection = report.input.rejected[0];
if (firstRejection) console.log(firstRejection.table, firstRejection.index, firstRejection.field ?? '(row)', counts);

const { timings } = analyzeTimed(data);
const ms: number = timings.stringifyMs + timings.wasmMs + timings.parseMs;
console.log(ms, version());

try {
  analyze(data, { asOf: 'yesterday' });
} catch (e) {
  if (isTendError(e)) {
    const code: 'invalid_input' | 'invalid_option' | 'invalid_policy' | 'fit_failed' | 'freed' = e.code;
    console.log(code, e.path);
  }
  if (e instanceof TendError) console.log(e.path);
}

async function worker(): Promise<void> {
  if (!isReady()) await init();
  initSync(new Uint8Array());
}
void worker;

// Mistakes the types catch:
// @ts-expect-error: a wrong field name (customerID instead of customerId)
const badOrder: Export['orders'] = [{ id: 'o', customerID: 'c1', at: '2026-01-01', amount: 1 }];
// @ts-expect-error: an unknown channel
const badContact: Export['contacts'] = [{ id: 'k', customerId: 'c1', at: '2026-01-01', direction: 'inbound', channel: 'fax' }];
// @ts-expect-error: customers are required
const noCustomers: Export = { orders: [] };
// @ts-expect-error: an unknown policy key
const badPolicy: Options = { policy: { returnContactWithn: 2 } };
// @ts-expect-error: amounts are numbers
const badAmount: Export['orders'] = [{ id: 'o', customerId: 'c1', at: '2026-01-01', amount: '12' }];
// @ts-expect-error: the report's customer id is always a string
const badId: number = report.customers[0]!.id;
// @ts-expect-error: feedback kinds are nps / csat / ces
const badFeedback: Export['feedback'] = [{ id: 'f', customerId: 1, at: '2026-01-01', kind: 'stars', score: 3 }];
console.log(badOrder, badContact, noCustomers, badPolicy, badAmount, badId, badFeedback);

// Envelopes and bytes.
const envelope: Envelope = { asOf: '2026-11-20T17:00:00Z', policy: { holidays: ['2026-11-11'] }, data };
analyze(envelope);
analyze(new TextEncoder().encode(JSON.stringify(envelope)).buffer);
const coreMs: number = analyzeTimed(envelope).timings.core.analyzeMs;
// @ts-expect-error: an envelope needs its data
const emptyEnvelope: Envelope = { asOf: '2026-11-20' };
console.log(coreMs, emptyEnvelope);

// Buying models: the fit's shape, a stored report.models passed back, and wrong units refused.
import { fitBuyingModel, scoreBuying } from 'tend-crm/models';
const fit = fitBuyingModel({ summaries: [{ id: 1, frequency: 2, recency: 30.43, T: 38.86, monetaryValue: 22.35 }] }, { model: 'bgnbd', spend: 'gammagamma' });
const r0: number | undefined = fit.params.r;
const scored = scoreBuying(fit, [{ id: 'a', frequency: 0, recency: 0, T: 10 }], { horizon: 52, discountRate: 0.002 });
const p: number | undefined = scored[0]?.pAlive;
const clv: number | null | undefined = scored[0]?.clv;
// @ts-expect-error — the time unit is 'day' | 'week' | 'month' | number
fitBuyingModel({ orders: [] }, { timeUnit: 'fortnight', asOf: '2026-01-01' });
// @ts-expect-error — scoreBuying needs a horizon
scoreBuying(fit, [], {});
declare const stored: import('tend-crm').Report;
const reused: import('tend-crm').Options = { asOf: '2026-11-20', models: stored.models };
const noModel: Options = { models: false };
void [r0, p, clv, reused, noModel];

// The engine: load, summary, pages, one customer, updates, another instant, free.
import {
  Tend,
  type CustomerRow,
  type CustomersQuery,
  type FlagItem,
  type Page,
  type Rejection,
  type StoredModels,
  type Summary,
  type UpdateResult,
  type WorkItem,
  type WorklistQuery,
} from 'tend-crm';

const tend: Tend = Tend.load(envelope, { asOf: '2026-11-20T17:00:00Z', policy: { holidays: ['2026-11-11'] } });
const summary: Summary = tend.summary();
const received: number = summary.input.orders.received;
const rejectedCount: number = summary.input.rejected;
const fittedAt: string | null = summary.models.fittedAt;
const sinceFit: number = summary.models.updatesSinceFit;
const red: number = summary.portfolio.counts.band.red;
console.log(summary.asOf, summary.customers, summary.actions, summary.updates, received, rejectedCount, fittedAt, sinceFit, red);

const query: WorklistQuery = { owner: 'Alice', kind: ['broken_promise', 'win_back'], tier: 'A', risk: ['high', 'critical'], sort: 'overdue:desc', limit: 20 };
const page: Page<WorkItem> = tend.worklist(query);
for (const w of page.items) {
  const tier: 'A' | 'B' | 'C' = w.tier;
  const band: 'green' | 'amber' | 'red' = w.band;
  const health: number = w.health;
  const risk: 'low' | 'medium' | 'high' | 'critical' = w.risk;
  const overdue: number | null = w.overdue;
  console.log(page.total, w.customerId, w.customerName ?? '', tier, band, health, risk, overdue, w.message);
}
tend.worklist();
tend.worklist({ owner: '', band: 'red', search: 'acme', offset: 40, sort: 'customer' });

const cq: CustomersQuery = { stage: ['dissolution', 'commitment'], band: 'amber', sort: 'riskScore:asc' };
const rows: Page<CustomerRow> = tend.customers(cq);
const firstRow = rows.items[0];
if (firstRow) {
  const trend: number | null = firstRow.trend;
  const flagsOpen: number = firstRow.openFlags + firstRow.actions + firstRow.revenue12m + firstRow.priority + firstRow.riskScore;
  console.log(firstRow.id, firstRow.name, firstRow.owner, firstRow.tier, firstRow.stage, firstRow.health, trend, flagsOpen);
  const lapse: string | null = firstRow.lapseAt;
  console.log(lapse);
}
// Customers about to be gone: the predicted lapse date within 60 days, and its threshold.
const lapsing: Page<CustomerRow> = tend.customers({ lapseWithin: 60, sort: 'priority' });
const lapseOf = tend.customer(lapsing.items[0]?.id ?? '')?.buying;
const since: string | null = lapseOf?.lapsedSince ?? null;
console.log(since, tend.worklist({ lapseWithin: 60 }).total, Tend.load({ customers: [] }, { policy: { lapseThreshold: 0.3 } }).summary());
const flagPage: Page<FlagItem> = tend.flags({ owner: 'Bob', kind: 'no_outreach' });
const firstFlag = flagPage.items[0];
if (firstFlag) console.log(firstFlag.customerId, firstFlag.customerName, firstFlag.kind, firstFlag.snoozed, firstFlag.due, firstFlag.overdue);

const one = tend.customer('c1');
if (one) console.log(one.health.score, one.risk.level, one.actions.length, one.neglect[0]?.message);
const mine = tend.records(2);
console.log(mine?.customers[0]?.id, mine?.orders?.[0]?.amount);

const result: UpdateResult = tend.update({
  upsert: {
    customers: [{ id: 'c9', name: 'New Co', owner: 'Alice' }],
    contacts: [{ id: 'k9', customerId: 'c9', at: new Date('2026-11-19T10:00:00Z'), direction: 'outbound', channel: 'call' }],
    snoozes: [{ id: 's1', customerId: 'c1', until: '2026-12-31', reason: 'on holiday', kinds: ['no_outreach'] }],
  },
  remove: { orders: ['o2'], customers: [2], snoozes: ['s0'] },
});
const changed: string[] = result.changed;
const bad: Rejection | undefined = result.rejected[0];
const line: number | null | undefined = bad?.line;
const updateNo: number | null | undefined = bad?.update;
console.log(changed, bad?.code, line, updateNo, tend.rejected({ offset: 0, limit: 10 }).total);
tend.update({ remove: { customers: ['c9'] } });
tend.refit();

const before = tend.at(new Date('2026-10-20T17:00:00Z'));
const same = before.report().customers.length === tend.report().customers.length;
const models: StoredModels | false = tend.models();
const again = Tend.load(tend.export(), { asOf: '2026-11-20T17:00:00Z', models });
const csv = Tend.load({ csv: { customers: 'id,name\nc1,Acme\n', orders: new Uint8Array(), snoozes: null } }, { models: false });
analyze({ csv: { customers: new TextEncoder().encode('id\nc1\n').buffer } });
// Issue 12: drivers, history with causes, state changes.
const drivers: Drivers = tend.drivers();
for (const d of drivers.drivers) {
  const ev: DriverEvent = d.event;
  const share: number | undefined = d.promoters?.effect;
  console.log(ev, d.survey, d.effect, d.low, d.high, d.significant, d.cost, share);
}
const history: History | null = tend.history('c1', { weeks: 12 });
for (const p of history?.points ?? []) console.log(p.at, p.health.score, p.health.components.attention, p.risk.level, p.stage);
for (const ch of history?.changes ?? []) for (const c of ch.causes) console.log(ch.delta, c.component, c.delta, c.evidence?.table, c.message);
const trendCauses: Cause[] = tend.customer('c1')?.health.trendCauses ?? [];
const monday: ChangesPage = tend.changes({ days: 30, all: true, limit: 20 });
for (const r of monday.items) console.log(r.name, r.value, r.entered.includes('red'), r.red?.days, r.highRisk?.atLeast);
const week: Entered = tend.summary().changes.days7;
console.log(trendCauses.length, week.red, monday.entered.highRisk, tend.report().drivers.minPairs);
for (const t of [before, again, csv, tend]) t.free();
const freed: boolean = tend.freed;
console.log(same, freed);

// Mistakes the types catch:
// @ts-expect-error: engines come from Tend.load()
new Tend();
// @ts-expect-error: an unknown sort field
tend.worklist({ sort: 'stage' });
// @ts-expect-error: an unknown sort direction
tend.customers({ sort: 'health:up' });
// @ts-expect-error: kind filters the worklist and the flags, not the customers list
tend.customers({ kind: 'win_back' });
// @ts-expect-error: flags come in one order
tend.flags({ sort: 'overdue' });
// @ts-expect-error: an unknown band
tend.customers({ band: 'blue' });
// @ts-expect-error: the CSV source needs customers
Tend.load({ csv: { orders: 'id,customerId,at,amount\n' } });
// @ts-expect-error: an unknown table to upsert
tend.update({ upsert: { invoices: [] } });
// @ts-expect-error: models() may be false
console.log(tend.models().buying);
// @ts-expect-error: a customer may be unknown
console.log(tend.customer('nope').id);
// @ts-expect-error: changes are over 7 or 30 days
tend.changes({ days: 14 });
// @ts-expect-error: weeks is a number
tend.history('c1', { weeks: '26' });
// @ts-expect-error: a history may be unknown
console.log(tend.history('nope').points);
// @ts-expect-error: freed is read-only
tend.freed = false;
