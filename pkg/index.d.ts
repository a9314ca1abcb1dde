// Types of the npm package `tend-crm` (`tend-crm/core` re-exports them). The report and engine
// types mirror the Rust core's `src/report.rs`, `src/engine/{query,summary,update}.rs`,
// `src/portfolio.rs`, `src/input/store.rs` and `src/score/*.rs`; keep them in step
// (tests/js/shape.test.mjs compares them with real answers).

// ───────────────────────────── input: a CRM export ─────────────────────────────

/** An ISO 8601 date-time (`2026-11-20T14:05:00+01:00`), a plain date (`2026-11-20`, read as 00:00
 * in the policy's timezone) or a JavaScript `Date`. */
export type Timestamp = string | Date;

/** A non-empty string; a number is read as its decimal string. */
export type Id = string | number;

/** The tables of an export. */
export type TableName =
  | 'customers'
  | 'orders'
  | 'contacts'
  | 'complaints'
  | 'promises'
  | 'feedback'
  | 'deliveries'
  | 'snoozes';

/** The kinds of neglect Tend detects. */
export type NeglectKind =
  | 'unreturned_contact'
  | 'broken_promise'
  | 'complaint_no_response'
  | 'complaint_overdue'
  | 'complaint_no_update'
  | 'no_outreach'
  | 'no_feedback'
  | 'delivery_failure';

/** Severity of a complaint or of a neglect flag. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';
export type Direction = 'inbound' | 'outbound';
export type Channel = 'call' | 'email' | 'chat' | 'meeting' | 'visit' | 'letter';
export type CallStatus = 'answered' | 'missed' | 'voicemail';
export type ComplaintCategory = 'delivery' | 'documentation' | 'billing' | 'product' | 'service' | 'other';
export type FeedbackKind = 'nps' | 'csat' | 'ces';
export type DeliveryProblem = 'late' | 'damaged' | 'wrong_item' | 'documentation' | 'missing';

/** A row of `customers`. */
export interface CustomerRecord {
  id: Id;
  name?: string | null;
  /** The account owner (sales rep). */
  owner?: string | null;
  createdAt?: Timestamp | null;
  segment?: string | null;
  /** Another customer's id. */
  referredBy?: Id | null;
}

/** A row of `orders`. */
export interface OrderRecord {
  id: Id;
  customerId: Id;
  at: Timestamp;
  /** ≥ 0; a refund has `kind: 'refund'` and an amount ≤ 0. */
  amount: number;
  kind?: 'sale' | 'refund' | null;
}

/** A row of `contacts`. */
export interface ContactRecord {
  id: Id;
  customerId: Id;
  at: Timestamp;
  direction: Direction;
  channel: Channel;
  status?: CallStatus | null;
  owner?: string | null;
}

/** A row of `complaints`. */
export interface ComplaintRecord {
  id: Id;
  customerId: Id;
  openedAt: Timestamp;
  severity: Severity;
  category?: ComplaintCategory | null;
  firstResponseAt?: Timestamp | null;
  resolvedAt?: Timestamp | null;
}

/** A row of `promises`. */
export interface PromiseRecord {
  id: Id;
  customerId: Id;
  madeAt: Timestamp;
  dueAt: Timestamp;
  keptAt?: Timestamp | null;
  owner?: string | null;
  text?: string | null;
}

/** A row of `feedback`. */
export interface FeedbackRecord {
  id: Id;
  customerId: Id;
  at: Timestamp;
  /** `nps` 0–10, `csat` 1–5, `ces` 1–7 (whole numbers). */
  kind: FeedbackKind;
  score: number;
  comment?: string | null;
}

/** A row of `deliveries`. */
export interface DeliveryRecord {
  id: Id;
  customerId: Id;
  promisedAt: Timestamp;
  deliveredAt?: Timestamp | null;
  problem?: DeliveryProblem | null;
}

/** A known reason to wait: silences matching flags while `asOf` is before `until`. */
export interface SnoozeRecord {
  /** Optional: a snooze with an id can be replaced or removed by an engine update. */
  id?: Id | null;
  customerId: Id;
  until: Timestamp;
  reason: string;
  /** The neglect kinds to silence; all when absent. In CSV: `|`-separated. */
  kinds?: NeglectKind[] | null;
}

/** A CRM export: flat tables, every one optional except `customers`. Unknown fields are ignored;
 * rows that break the contract are rejected and reported in `report.input.rejected`. */
export interface Export {
  customers: CustomerRecord[];
  orders?: OrderRecord[];
  contacts?: ContactRecord[];
  complaints?: ComplaintRecord[];
  promises?: PromiseRecord[];
  feedback?: FeedbackRecord[];
  deliveries?: DeliveryRecord[];
  snoozes?: SnoozeRecord[];
}

/** An export with its own `asOf` and `policy` (what `tend-crm <file>` reads too). `options.asOf`
 * and `options.policy` win over these. */
export interface Envelope {
  asOf?: Timestamp | null;
  policy?: Policy | null;
  data: Export;
}

/** One CSV file: its text, or its bytes (UTF-8, a BOM is skipped). */
export type CsvFile = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** One CSV file per table: the header names the contract's fields (any order; unknown columns
 * are ignored), RFC 4180 quoting, LF or CRLF; an empty cell is an absent field;
 * `snoozes.kinds` is `|`-separated. A bad cell rejects its row, with `line` and `column`; a
 * missing required column throws `TendError` (`invalid_input` at `csv.<table>`). */
export interface CsvInput {
  csv: {
    customers: CsvFile;
    orders?: CsvFile | null;
    contacts?: CsvFile | null;
    complaints?: CsvFile | null;
    promises?: CsvFile | null;
    feedback?: CsvFile | null;
    deliveries?: CsvFile | null;
    snoozes?: CsvFile | null;
  };
}

/** What `analyze()` and `Tend.load()` accept: an export or an envelope, as an object, JSON text
 * or UTF-8 bytes (parsed inside wasm), or one CSV file per table. */
export type Input = Export | Envelope | CsvInput | string | Uint8Array | ArrayBuffer | ArrayBufferView;

// ───────────────────────────── options and policy ─────────────────────────────

export type Weekday =
  | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun'
  | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday'
  | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface BySeverity { critical: number; high: number; medium: number; low: number }
export interface ByTier { A: number; B: number; C: number }
export interface Weights { satisfaction: number; buying: number; attention: number; service: number }
export interface Bands { green: number; amber: number }
export interface Tiers { A: number; B: number }
export interface ZoneThresholds { indifference: number; affection: number }
export interface Zones { nps: ZoneThresholds; csat: ZoneThresholds; ces: ZoneThresholds }

/** Service levels, cadences, weights and thresholds. Every key is optional: the defaults are
 * SPEC §2's. Unknown keys and out-of-range values throw `TendError` (`invalid_policy`). */
export interface Policy {
  /** A fixed UTC offset `±hh:mm`; default `+00:00`. */
  timezone?: string;
  /** Default Monday–Friday. */
  workdays?: Weekday[];
  /** Dates (`YYYY-MM-DD`, or a `Date`/instant read in the policy's timezone). */
  holidays?: (string | Date)[];
  /** Business days; default 1. */
  returnContactWithin?: number;
  /** Business days; default 1. */
  complaintFirstResponseWithin?: number;
  /** Business days by severity; default critical 1, high 3, medium 7, low 15. */
  complaintResolveWithin?: Partial<BySeverity>;
  /** Business days without an outbound contact while a complaint is open; default 3. */
  complaintUpdateEvery?: number;
  /** Calendar days by value tier; default A 30, B 60, C 120. */
  outreachEvery?: Partial<ByTier>;
  /** Calendar days since the last feedback; default 180. */
  feedbackEvery?: number;
  /** The P(alive) below which a customer counts as lapsed (`buying.lapseAt`), 0.001–0.999; default 0.5. */
  lapseThreshold?: number;
  /** Health component weights; default satisfaction .35, buying .30, attention .20, service .15. */
  weights?: Partial<Weights>;
  /** Default green ≥ 70, amber ≥ 40. */
  bands?: Partial<Bands>;
  /** Shares of trailing-12-month revenue in percent; default A 80, B 15. */
  tiers?: Partial<Tiers>;
  /** Zone thresholds per survey; default NPS 7/9, CSAT 3/5, CES 4/6. */
  zones?: { nps?: Partial<ZoneThresholds>; csat?: Partial<ZoneThresholds>; ces?: Partial<ZoneThresholds> };
}

export interface Options {
  /** The instant of evaluation; default: the envelope's `asOf`, else now. */
  asOf?: Timestamp;
  policy?: Policy;
  /** Buying models to score with instead of fitting: `tend.models()` or a `report.models`
   * stored from an analysis of the whole portfolio (so a page with a few customers is scored
   * with the portfolio's model; its `timeUnit` must be `'week'`), or `false` for no buying
   * model at all (no P(alive), no CLV). */
  models?: StoredModels | ModelsReport | false;
}

/** Buying models as `options.models` takes them and `tend.models()` returns them. */
export interface StoredModels {
  buying: StoredFit;
  spend?: StoredFit | null;
  timeUnit?: 'week';
}

/** Buy-till-you-die model names. */
export type CountModelName = 'bgnbd' | 'mbgnbd' | 'paretonbd';

/** A fitted model as stored in `report.models` and accepted back in `options.models`. */
export interface StoredFit {
  model: CountModelName | 'gammagamma';
  /** BG/NBD and MBG/NBD `r, alpha, a, b`; Pareto/NBD `r, alpha, s, beta`; Gamma-Gamma `p, q, gamma`. */
  params: Record<string, number>;
  /** Summed over customers, as the papers report it. */
  logLikelihood: number | null;
  customers: number | null;
  converged: boolean;
  /** Why the fit did not converge. */
  message: string | null;
}

/** The buying models an analysis used, or why none. */
export interface ModelsReport {
  buying: StoredFit | null;
  spend: StoredFit | null;
  timeUnit: 'week';
  /** `fitted` on this portfolio, given in `options`, or `none`. */
  source: 'fitted' | 'options' | 'none';
  /** Why no model is used (e.g. too few repeat buyers: at least 30 are needed). */
  reason: string | null;
  repeatBuyers: number;
}

/** One customer's calibration summary for the buying models. */
export interface BuyingSummary {
  id: Id;
  /** Repeat purchase days (same-day purchases merged). */
  frequency: number;
  /** Time from the first to the last purchase, in the fit's unit. */
  recency: number;
  /** Time from the first purchase to the end of the calibration period. */
  T: number;
  /** Mean spend of the repeat purchase days. */
  monetaryValue?: number | null;
}

export interface FitBuyingModelOptions {
  model?: CountModelName;
  spend?: 'gammagamma';
  /** Required with orders: `'day'`, `'week'`, `'month'` or a number of days. With summaries it
   * only labels the unit (default week). */
  timeUnit?: 'day' | 'week' | 'month' | number;
  /** End of the calibration period; required with orders. */
  asOf?: Timestamp;
}

/** The result of `fitBuyingModel`. */
export interface BuyingFit {
  model: CountModelName;
  params: Record<string, number>;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  message: string | null;
  /** Days per time unit. */
  unitDays: number;
  spend: StoredFit | null;
}

export interface ScoredCustomer {
  id: string;
  pAlive: number;
  expectedPurchases: number;
  probNoPurchase: number;
  expectedSpend: number | null;
  clv: number | null;
}

/** The policy in force, as echoed in the report (defaults filled in). */
export interface ResolvedPolicy {
  timezone: string;
  workdays: ('mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun')[];
  /** `YYYY-MM-DD`. */
  holidays: string[];
  returnContactWithin: number;
  complaintFirstResponseWithin: number;
  complaintResolveWithin: BySeverity;
  complaintUpdateEvery: number;
  outreachEvery: ByTier;
  feedbackEvery: number;
  weights: Weights;
  bands: Bands;
  tiers: Tiers;
  zones: Zones;
  lapseThreshold: number;
}

// ───────────────────────────── the report ─────────────────────────────

/** An ISO 8601 instant in the policy's timezone, e.g. `2026-11-20T09:30:00+00:00`. */
export type Instant = string;

/** The row a flag is about. */
export interface Evidence {
  table: TableName;
  id: string;
}

/** The snooze that silences a flag. */
export interface SnoozeInfo {
  until: Instant;
  reason: string;
}

/** One open neglect flag. */
export interface NeglectFlag {
  kind: NeglectKind;
  severity: Severity;
  /** When the gap opened. */
  since: Instant;
  /** When it was due to be closed. */
  due: Instant;
  /** Business days from `due` to `asOf`. */
  overdue: number;
  /** The row it is about (for `unreturned_contact`, the oldest contact waiting); null for `no_outreach` and `no_feedback`. */
  evidence: Evidence | null;
  /**
   * `unreturned_contact`: how many inbound contacts wait for a reply since the last outbound
   * contact (one conversation, one flag); null for the other kinds.
   */
  count: number | null;
  /** Who should act: the row's own owner, else the customer's. */
  owner: string | null;
  /** Silenced by a snooze (still reported). */
  snoozed: boolean;
  snooze: SnoozeInfo | null;
  /** What to do, in words a rep understands. */
  message: string;
}

export type Zone = 'defection' | 'indifference' | 'affection';

/** Statistics of one survey kind for one customer. */
export interface Survey {
  latest: number | null;
  latestAt: Instant | null;
  /** Answers in the trailing 365 days. */
  count12m: number;
  mean12m: number | null;
  /** NPS (−100…100), CSAT % (0…100) or the CES mean (1…7) over those answers. */
  score12m: number | null;
}

export interface ComplaintLoad {
  /** Complaints open at `asOf`. */
  open: number;
  /** Of those, high or critical. */
  openHigh: number;
  /** Severity-weighted count of the open complaints (low 1, medium 2, high 4, critical 8). */
  openWeight: number;
  /** Complaints opened in the trailing 365 days. */
  count12m: number;
  /** Severity-weighted count (low 1, medium 2, high 4, critical 8). */
  weighted12m: number;
}

export interface Satisfaction {
  nps: Survey;
  csat: Survey;
  ces: Survey;
  /** 0–100, null when no feedback is known. */
  index: number | null;
  /** Zone of the latest answer, null without feedback. */
  zone: Zone | null;
  zoneKind: FeedbackKind | null;
  lastFeedbackAt: Instant | null;
  /** The id of the latest answer. */
  lastFeedbackId: string | null;
  complaints: ComplaintLoad;
}

export type Tier = 'A' | 'B' | 'C';

export type RfmSegment =
  | 'Champions'
  | 'Loyal'
  | 'Potential Loyalist'
  | 'New'
  | 'Promising'
  | 'Need Attention'
  | 'At Risk'
  | "Can't Lose Them"
  | 'Hibernating'
  | 'Lost';

export interface Rfm {
  /** Recency 1–5 (5: bought most recently). */
  r: number;
  /** Frequency 1–5. */
  f: number;
  /** Monetary 1–5. */
  m: number;
  segment: RfmSegment;
  recencyDays: number;
  frequency: number;
  monetary: number;
}

export interface Value {
  tier: Tier;
  /** Revenue in the trailing 365 days. */
  revenue12m: number;
  /** Revenue in the 365 days before those. */
  revenuePrev12m: number;
  /** Share of the portfolio's trailing revenue, in percent. */
  revenueShare: number;
  /** Share of revenue of the customers ranked above this one, in percent. */
  shareAbove: number | null;
  /** Null without orders. */
  rfm: Rfm | null;
  /** Expected lifetime value when a buying model is fitted, else null. */
  clv: number | null;
  lastOrderAt: Instant | null;
}

export type Band = 'green' | 'amber' | 'red';

/** One health component, 0–100, with its weight and the facts behind it. */
export interface HealthComponent {
  score: number;
  /** Normalised so the four weights sum to 1 (0 when not evaluated). */
  weight: number;
  /** False when none of its tables is in the export: left out, its weight spread over the others. */
  evaluated: boolean;
  facts: string[];
}

export interface Health {
  /** 0–100. */
  score: number;
  band: Band;
  components: {
    satisfaction: HealthComponent;
    buying: HealthComponent;
    attention: HealthComponent;
    service: HealthComponent;
  };
  /** The score minus the score of the same analysis at `asOf` − 30 days; null when the customer
   * was unknown then. */
  trend: number | null;
  /** The trend split into the four components' contributions (they add up to `trend`). */
  trendComponents: Contributions | null;
  /** The rows behind the trend, by component then size (they add up to each contribution). */
  trendCauses: Cause[];
}

/** Points of a score change per health component (they add up to the change). */
export interface Contributions { satisfaction: number; buying: number; attention: number; service: number }

export type ComponentName = keyof Contributions;

/** One row behind a change of health. */
export interface Cause {
  component: ComponentName;
  /** Its share of the change, in points. */
  delta: number;
  /** The row; null for a gap with no row (no outreach, no feedback) or "and N more". */
  evidence: Evidence | null;
  /** `"−12 attention: Keep the promise … — due Tue 10 Nov, 3 business days overdue"`. */
  message: string;
}

/** What the analysis said at one weekly point of a history. */
export interface HistoryPoint {
  at: Instant;
  /** Health then, with the four component scores (0–100). */
  health: { score: number; band: Band; components: Contributions };
  /** Risk of the customer's own records then (word of mouth is not re-run for the past). */
  risk: { level: RiskLevel; score: number };
  stage: Stage;
}

/** The change between two consecutive points. */
export interface HistoryChange {
  from: Instant;
  to: Instant;
  delta: number;
  components: Contributions;
  causes: Cause[];
}

/** `tend.history(id, { weeks })`. */
export interface History {
  id: string;
  weeks: number;
  /** Oldest first, from the first week the customer was known, ending at `asOf`. */
  points: HistoryPoint[];
  /** One per pair of consecutive points. */
  changes: HistoryChange[];
}

/** `deliveries.late`, `deliveries.problem:damaged`, `complaints.category:billing`,
 * `complaints.severity:high`, `complaints.firstResponse.late`, `complaints.resolution.late`,
 * `promises.broken`, `contacts.unreturned`, `contacts.outreachGap`. */
export type DriverEvent =
  | 'deliveries.late'
  | `deliveries.problem:${DeliveryProblem}`
  | `complaints.category:${ComplaintCategory}`
  | `complaints.severity:${Severity}`
  | 'complaints.firstResponse.late'
  | 'complaints.resolution.late'
  | 'promises.broken'
  | 'contacts.unreturned'
  | 'contacts.outreachGap';

/** An effect on a share (0–1) of promoters or detractors, with its 95 % interval. */
export interface ShareEffect { effect: number; low: number; high: number }

/** One event kind's effect on the next answer of one survey. */
export interface Driver {
  event: DriverEvent;
  survey: FeedbackKind;
  /** Events of this kind inside spans between two answers of this survey. */
  events: number;
  /** Answer pairs whose span holds at least one. */
  pairs: number;
  /** Mean change of the next answer per event, in the survey's own points (NPS 0–10, CSAT 1–5,
   * CES 1–7), with its 95 % interval. */
  effect: number;
  low: number;
  high: number;
  /** The interval excludes 0 and `pairs` ≥ `minPairs`. */
  significant: boolean;
  /** effect × events: the portfolio's total. */
  cost: number;
  /** NPS only: the effect on the promoter (9–10) share. */
  promoters?: ShareEffect;
  /** NPS only: the effect on the detractor (0–6) share. */
  detractors?: ShareEffect;
}

/** `tend.drivers()` and `report.drivers`: associations in observational data, not experiments. */
export interface Drivers {
  method: string;
  /** Pairs a driver needs to be significant. */
  minPairs: number;
  /** Answer pairs used per survey. */
  pairs: { nps: number; csat: number; ces: number };
  /** Ranked by cost, the most costly first. */
  drivers: Driver[];
  /** `event/survey` kinds that had events but could not be told apart from others. */
  inseparable: string[];
}

/** One driver as it hits one customer (`tend.driversOf(id)`). */
export interface CustomerDriver {
  event: DriverEvent;
  survey: FeedbackKind;
  /** This customer's events of the kind in the last 365 days. */
  events: number;
  /** The portfolio's effect per event and its 95 % interval. */
  effect: number;
  low: number;
  high: number;
  significant: boolean;
  /** effect × this customer's events. */
  cost: number;
}

/** Customers who entered each watched state in one window. */
export interface Entered { red: number; highRisk: number; dissolution: number }

/** How long a customer has been in a state, read from its weekly points. */
export interface Standing {
  /** Days, to the week (a lower bound). */
  days: number;
  /** The run reaches the start of the 26 weeks read. */
  atLeast: boolean;
}

export type WatchedState = 'red' | 'high_risk' | 'dissolution';

/** One customer of `tend.changes()`. */
export interface ChangeRow extends CustomerRow {
  /** The value ranked by: the larger of the trailing 12 months' revenue and the CLV. */
  value: number;
  /** The states entered in the window. */
  entered: WatchedState[];
  /** In the red band since; null when not in it. */
  red: Standing | null;
  /** At high or critical risk since; null when not. */
  highRisk: Standing | null;
}

/** `tend.changes()`. */
export interface ChangesPage {
  days: 7 | 30;
  entered: Entered;
  total: number;
  items: ChangeRow[];
}

export interface ChangesQuery {
  /** The window: 7 (default) or 30 days. */
  days?: 7 | 30;
  /** Also the customers who stayed in a watched state (default: only those who entered one). */
  all?: boolean;
  offset?: number;
  /** 1–1000, default 50. */
  limit?: number;
}

/** `never`: no order in the export's orders table; `not_recorded`: the export has no orders table. */
export type BuyingStatus = 'new' | 'growing' | 'steady' | 'slowing' | 'lapsed' | 'never' | 'not_recorded';

export interface Buying {
  status: BuyingStatus;
  /** Orders (not refunds) by `asOf`. */
  orders: number;
  /** Orders in the last 90 days. */
  recentOrders: number;
  /** Orders in the 365 days before those. */
  baselineOrders: number;
  /** Orders per 30 days, recent and baseline. */
  recentRate: number;
  baselineRate: number;
  /** Two-sided exact p-value of the change; null without orders in either window. */
  pValue: number | null;
  /** Median days between distinct order days; null with fewer than two. */
  medianGapDays: number | null;
  daysSinceLastOrder: number | null;
  /** When the next order is expected by the customer's own rhythm. */
  nextOrderExpected: Instant | null;
  /** Days past that expectation (0 when not overdue). */
  overdueDays: number | null;
  firstOrderAt: Instant | null;
  lastOrderId: string | null;
  /** From the fitted buying model, when one is fitted. */
  pAlive: number | null;
  /** Expected purchases in the next 90 days, from the fitted model. */
  expectedPurchases: number | null;
  /** With a fitted model: the day P(alive) falls below `policy.lapseThreshold` if the customer
   * buys nothing more, from the model's closed form; null when it never does within 5 years,
   * or is below already (then `lapsedSince`). `nextOrderExpected` is when the customer's own
   * rhythm makes its next order due. */
  lapseAt: Instant | null;
  /** With a fitted model: since when P(alive) has been below the threshold (never before the
   * last order). */
  lapsedSince: Instant | null;
}

export type Stage = 'awareness' | 'exploration' | 'expansion' | 'commitment' | 'dissolution';

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';

export interface RiskReason {
  /** A stable code, e.g. `lapsed`, `defection_zone`, `neglect`. */
  code: string;
  weight: number;
  text: string;
}

export interface Risk {
  level: RiskLevel;
  /** 0–1. */
  score: number;
  /** Heaviest first. */
  reasons: RiskReason[];
}

/** A neglect kind, or one of the actions that are not flags. */
export type ActionKind = NeglectKind | 'win_back' | 'check_in' | 'recover_detractor' | 'ask_feedback' | 'ask_referral';

export interface Action {
  kind: ActionKind;
  message: string;
  evidence: Evidence | null;
  owner: string | null;
  severity: Severity;
  /** Business days overdue, for flag actions; else null. */
  overdue: number | null;
  /** Health points the customer would gain if it were done. */
  uplift: number;
}

export interface CustomerReport {
  id: string;
  name: string | null;
  owner: string | null;
  segment: string | null;
  referredBy: string | null;
  health: Health;
  satisfaction: Satisfaction;
  value: Value;
  buying: Buying;
  /** Open neglect flags, most overdue first. */
  neglect: NeglectFlag[];
  stage: Stage;
  risk: Risk;
  /** Ids of customers connected by referral (either way) in the defection zone or at high or
   * critical risk. */
  exposure: string[];
  /** What to do, most urgent first. */
  actions: Action[];
  /** The worklist rank key: risk × value. */
  priority: number;
}

/** An open action in the portfolio worklist. */
export interface WorkItem {
  customerId: string;
  customerName: string | null;
  /** Who should act: the action's own owner, else the customer's. */
  owner: string | null;
  kind: ActionKind;
  message: string;
  evidence: Evidence | null;
  uplift: number;
  /** The customer's priority (risk × value). */
  priority: number;
  severity: Severity;
  overdue: number | null;
  /** The customer's value tier. */
  tier: Tier;
  /** The customer's health score, 0–100. */
  health: number;
  /** The customer's health band. */
  band: Band;
  /** The customer's risk level. */
  risk: RiskLevel;
}

/** A scorecard per owner (rep). */
export interface OwnerCard {
  /** Null: customers and flags without an owner. */
  owner: string | null;
  customers: number;
  /** Open, not snoozed flags, by kind. */
  openFlags: Partial<Record<NeglectKind, number>>;
  snoozedFlags: number;
  /** Sum of the business days overdue of the open flags. */
  overdueDays: number;
  /** Share of the promises due by `asOf` not kept by their due date; null without any. */
  brokenPromiseRate: number | null;
  promisesDue: number;
  /** Median business days from opening to resolution; null without any. */
  medianComplaintResolutionDays: number | null;
  /** Share of the customers owned at high or critical risk. */
  highRiskShare: number | null;
}

export interface DailyPoint {
  /** `YYYY-MM-DD`, in the policy's timezone. */
  date: string;
  /** Over the 90 days up to that day; null without answers. */
  nps: number | null;
  csat: number | null;
  ces: number | null;
  /** Answers in the window, all kinds. */
  responses: number;
  openComplaints: number;
}

export interface Portfolio {
  /** Customers by band, tier, stage and risk level (every key present). */
  counts: {
    band: Record<Band, number>;
    tier: Record<Tier, number>;
    stage: Record<Stage, number>;
    risk: Record<RiskLevel, number>;
  };
  /** The customers at high or critical risk and what they are worth. */
  valueAtRisk: { customers: number; revenue12m: number; clv: number | null };
  /** One point per day over the last 90 days, ascending, the last on `asOf`'s day. */
  daily: DailyPoint[];
}

/** Row counts of one table: `received = used + rejected + future`. */
export interface TableCounts {
  received: number;
  used: number;
  rejected: number;
  future: number;
}

/**
 * Why a row was rejected (or, in `warnings`, why a field was ignored). `unreadable`: the wrapper
 * could not read the row (a getter threw, a `Proxy` refused, a `BigInt` no number holds exactly).
 */
export type RejectionCode =
  | 'not_an_object'
  | 'missing'
  | 'wrong_type'
  | 'invalid_id'
  | 'invalid_date'
  | 'invalid_number'
  | 'invalid_amount'
  | 'invalid_value'
  | 'out_of_range'
  | 'unknown_customer'
  | 'self_reference'
  | 'duplicate_id'
  | 'inconsistent_dates'
  | 'invalid_row'
  | 'not_found'
  | 'invalid_text'
  | 'unreadable';

/** A table missing from the export ("not recorded"; an empty one is "recorded, none") and what is not evaluated without it. */
export interface NotEvaluated {
  table: TableName;
  rules: string;
}

/** Every rejection counted per table and code: `{ orders: { invalid_number: 3 } }`. */
export type RejectedByCode = { [table in TableName]?: { [code in RejectionCode]?: number } };

/** A rejected row (or, in `warnings`, a row kept with one field ignored). */
export interface Rejection {
  table: TableName;
  /** Position of the row in its table (for an update, in the update's list for the table),
   * from 0. */
  index: number;
  id: string | null;
  /** The offending field; null when the row is not an object. */
  field: string | null;
  /** Stable machine-readable reason code. */
  code: RejectionCode;
  /** Lowercase, quoting the bad value. */
  reason: string;
  /** The line of the CSV file (the header is line 1); null when not read from CSV. */
  line: number | null;
  /** The column of the offending cell, from 1; null when not read from CSV. */
  column: number | null;
  /** The engine update that brought the row (counted from 1); null for the load. */
  update: number | null;
}

/** What happened to the input: counts per table, the rejected rows, the warnings. */
export interface InputReport {
  customers: TableCounts;
  orders: TableCounts;
  contacts: TableCounts;
  complaints: TableCounts;
  promises: TableCounts;
  feedback: TableCounts;
  deliveries: TableCounts;
  snoozes: TableCounts;
  /** The first 1,000 rejected rows (the rest are counted in `rejectedByCode`). */
  rejected: Rejection[];
  /** Rejected rows past the first 1,000, not listed. */
  rejectedOmitted: number;
  rejectedByCode: RejectedByCode;
  /** Tables missing from the export and the rules left out for them. */
  notEvaluated: NotEvaluated[];
  warnings: Rejection[];
}

export interface Report {
  /** The instant of evaluation, in the policy's timezone. */
  asOf: Instant;
  policy: ResolvedPolicy;
  /** One per accepted customer, ordered by id. */
  customers: CustomerReport[];
  /** Every open action across customers, by priority (ties by customer id). */
  worklist: WorkItem[];
  /** Per-owner scorecards. */
  owners: OwnerCard[];
  portfolio: Portfolio;
  /** The buying models used, or why none is. */
  models: ModelsReport;
  input: InputReport;
  /** Which operational events move the next survey answer. */
  drivers: Drivers;
}

export interface Timings {
  /** Converting options and data to JSON text. */
  stringifyMs: number;
  /** The WebAssembly call: copying the text in, the core's work, and the report text out. */
  wasmMs: number;
  /** `JSON.parse` of the report. */
  parseMs: number;
  /** The core's phases inside `wasmMs` (measured with `performance.now()`, 0 where absent);
   * `wasmMs` minus their sum is the copying across the boundary. */
  core: {
    /** Parsing the JSON text into rows. */
    parseJsonMs: number;
    /** Validation and scoring. */
    analyzeMs: number;
    /** Serialising the report to JSON text. */
    serializeMs: number;
  };
}

// ───────────────────────────── the engine's answers ─────────────────────────────

/** A page of results. */
export interface Page<T> {
  /** Items matching the query, over all pages. */
  total: number;
  /** This page's items (at most `limit`, from `offset`). */
  items: T[];
}

/** A page of the rejected rows listed (the first 1,000). */
export interface RejectedPage {
  /** Rows listed, over all pages (at most 1,000). */
  total: number;
  items: Rejection[];
  /** Rejected rows not listed, counted in `summary().input.rejectedByCode`. */
  omitted: number;
}

/** One value of a filter, or any of several. */
export type OneOrMany<T extends string> = T | readonly T[];

/** A sort: `'field'` (the field's natural direction), `'field:asc'` or `'field:desc'`. */
export type Sort<F extends string> = F | `${F}:asc` | `${F}:desc`;

/** Worklist sort fields. Natural directions: `priority`, `overdue`, `uplift`, `severity`
 * descending; `customer` (by name), `kind`, `owner` ascending. Ties keep the worklist's order. */
export type WorklistSortField = 'priority' | 'overdue' | 'uplift' | 'severity' | 'customer' | 'kind' | 'owner' | 'tier' | 'health' | 'risk';

/** Customers list sort fields. Natural directions: `priority`, `risk`, `riskScore`,
 * `openFlags`, `actions`, `revenue12m` descending, the others ascending. Ties by id. */
export type CustomerSortField =
  | 'priority'
  | 'id'
  | 'name'
  | 'owner'
  | 'tier'
  | 'stage'
  | 'health'
  | 'band'
  | 'trend'
  | 'risk'
  | 'riskScore'
  | 'openFlags'
  | 'actions'
  | 'revenue12m';

/** Where a page starts and how long it is. */
export interface PageQuery {
  /** Items to skip; default 0. */
  offset?: number | undefined;
  /** Items to return; default 50, at most 10 000 (more throws `invalid_option` at
   * `query.limit`). */
  limit?: number | undefined;
}

/** Filters on the customer (a filter given as an array accepts any of its values). */
export interface CustomerFilters {
  /** Only this owner's; `''` for those without an owner. On the worklist and the flags it is
   * the action's or flag's owner, on the customers list the account owner. */
  owner?: string | undefined;
  /** Only customers of these value tiers. */
  tier?: OneOrMany<Tier> | undefined;
  /** Only customers in these health bands. */
  band?: OneOrMany<Band> | undefined;
  /** Only customers at these risk levels. */
  risk?: OneOrMany<RiskLevel> | undefined;
  /** Only customers at these relationship stages. */
  stage?: OneOrMany<Stage> | undefined;
  /** Only customers whose name or id contains this text (case-insensitive for Latin, Greek
   * and Cyrillic letters). */
  search?: string | undefined;
  /** Only customers whose predicted lapse date (`buying.lapseAt`) is within this many days. */
  lapseWithin?: number | undefined;
}

/** A query of `tend.worklist()`. */
export interface WorklistQuery extends PageQuery, CustomerFilters {
  /** Only these action kinds. */
  kind?: OneOrMany<ActionKind> | undefined;
  /** Default: the worklist's own order (priority, then customer id, then the customer's
   * actions most urgent first). */
  sort?: Sort<WorklistSortField> | undefined;
}

/** A query of `tend.customers()` (`kind` is refused: it filters actions and flags). */
export interface CustomersQuery extends PageQuery, CustomerFilters {
  /** Default `'priority'` (descending, ties by id). */
  sort?: Sort<CustomerSortField> | undefined;
}

/** A query of `tend.flags()` (one order only: owner, then most overdue). */
export interface FlagsQuery extends PageQuery, CustomerFilters {
  /** Only these neglect kinds. */
  kind?: OneOrMany<NeglectKind> | undefined;
}

/** One customer as a compact row of the customers list. */
export interface CustomerRow {
  id: string;
  name: string | null;
  /** The account owner. */
  owner: string | null;
  tier: Tier;
  stage: Stage;
  /** Health score, 0–100 (as `health.score` in the customer's report). */
  health: number;
  band: Band;
  /** The 30-day health trend; null when the customer was unknown then. */
  trend: number | null;
  risk: RiskLevel;
  /** 0–1 (as `risk.score`). */
  riskScore: number;
  /** Open, not snoozed neglect flags. */
  openFlags: number;
  /** Open actions. */
  actions: number;
  /** Revenue in the trailing 365 days. */
  revenue12m: number;
  /** The worklist rank key: risk × value. */
  priority: number;
  /** The predicted lapse date (`buying.lapseAt`), with a fitted model. */
  lapseAt: Instant | null;
}

/** A neglect flag with its customer (snoozed ones included). */
export interface FlagItem extends NeglectFlag {
  customerId: string;
  customerName: string | null;
}

/** Row counts per table, and the rejected and warned rows in all (listed by
 * `tend.rejected()` and in `report().input`). */
export interface InputSummary {
  customers: TableCounts;
  orders: TableCounts;
  contacts: TableCounts;
  complaints: TableCounts;
  promises: TableCounts;
  feedback: TableCounts;
  deliveries: TableCounts;
  snoozes: TableCounts;
  /** Rejected rows, the load's and every update's (the first 1,000 listed by `rejected()`). */
  rejected: number;
  rejectedByCode: RejectedByCode;
  /** Tables missing from the export and the rules left out for them. */
  notEvaluated: NotEvaluated[];
  /** Kept rows with a field ignored. */
  warnings: number;
}

/** The buying models in use, as in the report, and how fresh they are. */
export interface ModelsSummary extends ModelsReport {
  /** The `asOf` the model was fitted at; null when given in `options.models` or none is used. */
  fittedAt: Instant | null;
  /** Updates since the fit (the model is kept until `refit()`). */
  updatesSinceFit: number;
}

/** What a dashboard shows first, without any customer's details. */
/** Counts for the portfolio's charts. */
export interface Distribution {
  /** Customers by health in ten bins: [0, 10), [10, 20), … [90, 100]. */
  health: number[];
  /** Customers by value tier, then risk level (every key present). */
  tierRisk: Record<Tier, Record<RiskLevel, number>>;
  /** Open actions by kind (kinds with at least one). */
  actions: Partial<Record<ActionKind, number>>;
}

export interface Summary {
  /** The instant of evaluation, in the policy's timezone. */
  asOf: Instant;
  /** The policy in force, defaults filled in. */
  policy: ResolvedPolicy;
  /** Customers analysed. */
  customers: number;
  /** Open actions on the worklist. */
  actions: number;
  input: InputSummary;
  portfolio: Portfolio;
  models: ModelsSummary;
  /** Per-owner scorecards, as in the report. */
  owners: OwnerCard[];
  /** Counts for charts. */
  distribution: Distribution;
  /** Customers who entered the red band, high or critical risk, or dissolution in the last 7
   * and 30 days (in the state at `asOf`, not at the window's start). */
  changes: { days7: Entered; days30: Entered };
  /** Updates applied so far (an update that holds nothing is not counted). */
  updates: number;
}

/** Changes for `tend.update()`. Removals apply first, then upserts (customers first): a row
 * whose id its table already has replaces it; removing a customer removes its rows. */
export interface Update {
  upsert?: Partial<Export> | null;
  /** Ids by table (snoozes: those given an id). */
  remove?: { [T in TableName]?: Id[] | null } | null;
}

/** What an update did. */
export interface UpdateResult {
  /** Ids of the customers scored again, sorted: every customer whose row of the customers
   * list, worklist items, flags or referral links changed (removed customers included). A
   * report also holds figures relative to the whole portfolio — its revenue share, the share
   * of those ranked above it, its RFM quintiles — that can move for others: re-read an open
   * customer after an update. */
  changed: string[];
  /** The rows this update rejected (the first 1,000), with its number in `update` (an unknown
   * id to remove: code `not_found`). */
  rejected: Rejection[];
  /** Rows this update rejected past the first 1,000, counted but not listed. */
  rejectedOmitted: number;
}

/** A customer as `tend.export()` and `tend.records()` give it. */
export interface ExportedCustomer {
  id: string;
  name: string | null;
  owner: string | null;
  createdAt: Instant | null;
  segment: string | null;
  /** Only a valid reference is kept. */
  referredBy: string | null;
}

export interface ExportedOrder {
  id: string;
  customerId: string;
  at: Instant;
  amount: number;
  kind: 'sale' | 'refund';
}

export interface ExportedContact {
  id: string;
  customerId: string;
  at: Instant;
  direction: Direction;
  channel: Channel;
  status: CallStatus | null;
  owner: string | null;
}

export interface ExportedComplaint {
  id: string;
  customerId: string;
  openedAt: Instant;
  severity: Severity;
  category: ComplaintCategory | null;
  firstResponseAt: Instant | null;
  resolvedAt: Instant | null;
}

export interface ExportedPromise {
  id: string;
  customerId: string;
  madeAt: Instant;
  dueAt: Instant;
  keptAt: Instant | null;
  owner: string | null;
  text: string | null;
}

export interface ExportedFeedback {
  id: string;
  customerId: string;
  at: Instant;
  kind: FeedbackKind;
  score: number;
  comment: string | null;
}

export interface ExportedDelivery {
  id: string;
  customerId: string;
  promisedAt: Instant;
  deliveredAt: Instant | null;
  problem: DeliveryProblem | null;
}

export interface ExportedSnooze {
  id: string | null;
  customerId: string;
  until: Instant;
  reason: string;
  /** Null: every kind. */
  kinds: NeglectKind[] | null;
}

/** The records an engine holds, as an export (accepted rows only, instants in UTC): loading
 * it again gives the same answers. A table is absent when the input had none and nothing was
 * added. */
export interface ExportedRecords {
  customers: ExportedCustomer[];
  orders?: ExportedOrder[];
  contacts?: ExportedContact[];
  complaints?: ExportedComplaint[];
  promises?: ExportedPromise[];
  feedback?: ExportedFeedback[];
  deliveries?: ExportedDelivery[];
  snoozes?: ExportedSnooze[];
}

// ───────────────────────────── functions ─────────────────────────────

/** Why a call failed: `invalid_input` (the data cannot be read), `invalid_option`,
 * `invalid_policy`, `fit_failed` (`fitBuyingModel` without repeat buyers) or `freed` (a method
 * of a freed engine). */
export type ErrorCode = 'invalid_input' | 'invalid_option' | 'invalid_policy' | 'fit_failed' | 'freed';

/**
 * Thrown when a call cannot be done at all: the data is not an export, `asOf` is unparsable,
 * the policy or a query is invalid, or the engine was freed. Bad rows never throw: they are
 * rejected and reported.
 *
 * ```ts
 * try {
 *   analyze(data, { asOf: 'yesterday' });
 * } catch (e) {
 *   if (isTendError(e)) console.log(e.code, e.path); // 'invalid_option' 'options.asOf'
 * }
 * ```
 */
export class TendError extends Error {
  name: 'TendError';
  /** Why: see `ErrorCode`. */
  code: ErrorCode;
  /** Where, e.g. `options.policy.timezone`, `data.customers`, `csv.orders`, `query.sort`,
   * `update.upsert` (`engine` for a freed engine). */
  path: string;
  /**
   * ```ts
   * throw new TendError('invalid option at `asOf`: expected a date', 'invalid_option', 'asOf');
   * ```
   */
  constructor(message: string, code: ErrorCode, path: string, options?: { cause?: unknown });
}

/**
 * True for a `TendError` (also one from another copy of the module).
 *
 * ```ts
 * if (isTendError(e) && e.code === 'invalid_policy') showPolicyError(e.path);
 * ```
 */
export function isTendError(e: unknown): e is TendError;

/**
 * A portfolio loaded once into WebAssembly memory: pages of the worklist, of the customers
 * list and of the flags, one customer's report, updates as the CRM's users work, the whole
 * report. Every answer equals what `analyze()` of the same records gives. An engine holds
 * memory outside the JavaScript heap: `free()` it when done.
 *
 * ```ts
 * import { Tend } from 'tend-crm';
 * const tend = Tend.load(exportJson, { asOf: '2026-11-20T17:00:00Z' });
 * const { total, items } = tend.worklist({ owner: 'Alice Martin', limit: 20 });
 * console.log(`${items.length} of ${total}:`, items.map((w) => w.message));
 * tend.free();
 * ```
 */
export class Tend {
  /** Engines come from `Tend.load()` (or `tend.at()`). */
  private constructor(handle: never);

  /**
   * Load `source` at `options.asOf` (default: the envelope's `asOf`, else now) with
   * `options.policy` and `options.models` (default: a buying model fitted on the portfolio).
   * `source` is an export object or an envelope `{ asOf?, policy?, data }`, its JSON text or
   * UTF-8 bytes, or `{ csv: { customers, orders?, … } }` with one CSV file per table. Bad rows
   * are rejected (see `rejected()`); `TendError` is thrown when nothing can be loaded.
   *
   * ```ts
   * const tend = Tend.load(
   *   { csv: { customers: await (await fetch('customers.csv')).text(), orders: ordersBytes } },
   *   { asOf: new Date(), policy: { holidays: ['2026-12-25'] } },
   * );
   * ```
   */
  static load(source: Input, options?: Options): Tend;

  /**
   * The input counts, the portfolio figures, the models and the owners' cards: what a
   * dashboard shows first.
   *
   * ```ts
   * const s = tend.summary();
   * console.log(`${s.customers} customers, ${s.actions} actions, ${s.portfolio.valueAtRisk.customers} at risk`);
   * ```
   */
  summary(): Summary;

  /**
   * A page of the worklist: the report's `worklist`, filtered and sorted in the engine.
   *
   * ```ts
   * const page = tend.worklist({ owner: 'Alice Martin', kind: ['broken_promise', 'unreturned_contact'], sort: 'overdue', limit: 20 });
   * for (const w of page.items) console.log(w.customerName, w.kind, w.overdue, w.message);
   * ```
   */
  worklist(query?: WorklistQuery): Page<WorkItem>;

  /**
   * A page of the customers list (compact rows, by priority unless sorted otherwise).
   *
   * ```ts
   * const red = tend.customers({ band: 'red', sort: 'health:asc', offset: 0, limit: 50 });
   * console.log(`${red.total} customers in the red`, red.items.map((c) => `${c.name} ${c.health}`));
   * ```
   */
  customers(query?: CustomersQuery): Page<CustomerRow>;

  /**
   * A page of the neglect flags, snoozed ones included: by owner (named owners alphabetically,
   * the unassigned last), then most overdue first.
   *
   * ```ts
   * const mine = tend.flags({ owner: 'Chen Wei', limit: 100 });
   * const open = mine.items.filter((f) => !f.snoozed).length;
   * ```
   */
  flags(query?: FlagsQuery): Page<FlagItem>;

  /**
   * One customer's whole report, exactly as in `report().customers`, or `null` for an unknown
   * id.
   *
   * ```ts
   * const c = tend.customer('C0042');
   * if (c) console.log(c.health.score, c.risk.reasons.map((r) => r.text), c.actions[0]?.message);
   * ```
   */
  customer(id: Id): CustomerReport | null;

  /**
   * One customer's records: its row and its rows of every table, oldest first, or `null`.
   *
   * ```ts
   * const rows = tend.records('C0042');
   * console.log(rows?.orders?.length ?? 0, 'orders');
   * ```
   */
  records(id: Id): ExportedRecords | null;

  /**
   * A page of the rejected rows listed — the first 1,000: the load's (in table order), then
   * each update's; `omitted` counts the others (all are counted per table and code in
   * `summary().input.rejectedByCode`). Default
   * offset 0, limit 50 (at most 10 000; more, or a number that is not whole and ≥ 0, throws
   * `invalid_option` at `query.limit` / `query.offset`).
   *
   * ```ts
   * for (const r of tend.rejected({ limit: 100 }).items) console.log(`${r.table} line ${r.line}: ${r.reason}`);
   * ```
   */
  rejected(page?: { offset?: number; limit?: number }): RejectedPage;

  /**
   * A page of the warnings: rows kept with one field ignored (a `referredBy` that names no
   * customer, the customer itself, or is not an id); `update` says which update brought the
   * row (`null`: the load).
   *
   * ```ts
   * for (const w of tend.warnings().items) console.log(`${w.id}: ${w.reason}`);
   * ```
   */
  warnings(page?: { offset?: number; limit?: number }): Page<Rejection>;

  /**
   * Apply changes as the CRM's users work: removals first, then upserts (a row whose id is
   * known replaces it; removing a customer removes its rows). Rows that break the contract are
   * rejected and returned; the rest is applied, and exactly the customers whose answers can
   * change are scored again. The buying model is kept until `refit()`. Throws `TendError`
   * (`invalid_input` at `update…`) only when the changes cannot be read, and then changes
   * nothing.
   *
   * ```ts
   * const { changed, rejected } = tend.update({
   *   upsert: { contacts: [{ id: 'k9', customerId: 'C0042', at: new Date(), direction: 'outbound', channel: 'call' }] },
   *   remove: { promises: ['p7'] },
   * });
   * for (const id of changed) console.log(id, tend.customer(id)?.health.score ?? 'removed');
   * for (const r of rejected) console.log(`${r.table}[${r.index}] ${r.field}: ${r.reason}`);
   * ```
   */
  update(changes: Update): UpdateResult;

  /**
   * Fit the buying model again on the current records (when given in `options.models`, the
   * fit replaces it) and score every customer again.
   *
   * ```ts
   * if (tend.summary().models.updatesSinceFit > 1000) tend.refit();
   * ```
   */
  refit(): void;

  /**
   * A new engine over the same records at another instant, with the same policy (the buying
   * model is the given one, else fitted anew). Free it too.
   *
   * ```ts
   * const lastMonth = tend.at('2026-10-20T17:00:00Z');
   * console.log(lastMonth.summary().portfolio.counts.band.red);
   * lastMonth.free();
   * ```
   */
  at(asOf: Timestamp): Tend;

  /**
   * Which operational events move the next survey answer, ranked by what they cost the
   * portfolio (computed when first asked, kept until an update).
   *
   * ```ts
   * for (const d of tend.drivers().drivers.filter((d) => d.significant).slice(0, 5))
   *   console.log(`${d.event} ${d.effect} ${d.survey} points per event (${d.low}…${d.high}), ${d.events} events`);
   * ```
   */
  drivers(): Drivers;

  /**
   * The drivers that hit one customer in the last 365 days (its own event counts, the
   * portfolio's effects), most costly first; `null` for an unknown id.
   *
   * ```ts
   * for (const d of tend.driversOf('C0042') ?? []) console.log(`${d.events}× ${d.event}: ${d.cost} ${d.survey} points`);
   * ```
   */
  driversOf(id: Id): CustomerDriver[] | null;

  /**
   * A customer's history: health, risk and stage at weekly points ending at `asOf`, each a
   * point-in-time re-run, and each week's change with the rows behind it; `null` for an
   * unknown id. Throws `TendError` (`invalid_option` at `options.weeks`) outside 1–104.
   *
   * ```ts
   * const h = tend.history('C0042', { weeks: 12 });
   * for (const c of h?.changes ?? []) for (const why of c.causes) console.log(c.to, why.message);
   * ```
   */
  history(id: Id, options?: { weeks?: number }): History | null;

  /**
   * The Monday list: customers who entered the red band, high or critical risk, or
   * dissolution in the last 7 (or 30) days, by value, with how long they have been red or at
   * high risk.
   *
   * ```ts
   * const { entered, items } = tend.changes({ days: 7 });
   * console.log(`${entered.red} turned red this week`, items.map((r) => r.name));
   * ```
   */
  changes(query?: ChangesQuery): ChangesPage;

  /**
   * The whole report, identical to `analyze()` of the same records.
   *
   * ```ts
   * const report = tend.report();
   * console.log(report.worklist.length, report.input.rejected.length);
   * ```
   */
  report(): Report;

  /**
   * The records the engine holds (after every update), as an export.
   *
   * ```ts
   * localStorage.setItem('crm', JSON.stringify({ asOf, data: tend.export() }));
   * ```
   */
  export(): ExportedRecords;

  /**
   * The buying models in use, as `options.models` takes them (a spend model that did not
   * converge is not used and not returned), or `false` when none is used. With `export()` it
   * loads the same answers afresh.
   *
   * ```ts
   * const again = Tend.load(tend.export(), { asOf, models: tend.models() });
   * ```
   */
  models(): Required<StoredModels> | false;

  /**
   * Release the engine's memory. Safe to call twice; afterwards every method throws
   * `TendError` with code `freed`.
   *
   * ```ts
   * const tend = Tend.load(data);
   * try { render(tend.worklist()); } finally { tend.free(); }
   * ```
   */
  free(): void;

  /**
   * Whether `free()` was called.
   *
   * ```ts
   * if (!tend.freed) tend.free();
   * ```
   */
  readonly freed: boolean;
}

/**
 * Analyse a CRM export at the instant `options.asOf` (default: the envelope's `asOf`, else now).
 * `data` is the export object or an envelope `{ asOf?, policy?, data }`, the JSON text of one
 * as a string or UTF-8 bytes, or `{ csv: { customers, … } }`. Returns plain JSON data. Bad rows
 * are rejected and reported in `report.input.rejected`; `TendError` is thrown only when the
 * analysis is impossible. `Tend.load()` keeps the analysis to page and update it.
 *
 * ```ts
 * import { analyze } from 'tend-crm';
 * const report = analyze(
 *   {
 *     customers: [{ id: 'c1', name: 'Acme', owner: 'Alice' }],
 *     contacts: [{ id: 'k1', customerId: 'c1', at: '2026-11-19T09:30:00Z',
 *                  direction: 'inbound', channel: 'call', status: 'missed' }],
 *   },
 *   { asOf: new Date('2026-11-26T09:30:00Z') },
 * );
 * for (const flag of report.customers[0].neglect) console.log(flag.message);
 * ```
 */
export function analyze(data: Input, options?: Options): Report;

/**
 * `analyze()` with the time spent converting to JSON, in WebAssembly, and parsing the report.
 *
 * ```ts
 * const { report, timings } = analyzeTimed(data, { asOf: '2026-11-20' });
 * console.log(`${timings.wasmMs.toFixed(1)} ms in wasm for ${report.customers.length} customers`);
 * ```
 */
export function analyzeTimed(data: Input, options?: Options): { report: Report; timings: Timings };

/**
 * The version of the Tend core.
 *
 * ```ts
 * console.log(version()); // '0.1.0'
 * ```
 */
export function version(): string;

/** What `init()` accepts: where or what the `.wasm` module is. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Load and instantiate the WebAssembly module; resolves when `Tend.load()` and `analyze()` can be
 * called. Safe to call more than once. `import 'tend-crm'` has already done it (top-level await); call it yourself
 * only with `tend-crm/core`, e.g. in a Manifest V3 service worker. By default the module is
 * `wasm/tend_bg.wasm` next to the package's files (read from disk in Node, fetched elsewhere).
 *
 * ```ts
 * import { init, Tend } from 'tend-crm/core';
 * chrome.runtime.onMessage.addListener((msg, _sender, reply) => {
 *   init().then(() => {
 *     const tend = Tend.load(msg.data, { asOf: msg.asOf });
 *     try { reply(tend.worklist({ owner: msg.owner })); } finally { tend.free(); }
 *   });
 *   return true;
 * });
 * ```
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/**
 * Instantiate synchronously from the module's bytes or a compiled `WebAssembly.Module` (without
 * an argument: Node only, reads the file next to the package).
 *
 * ```ts
 * import { initSync, analyze } from 'tend-crm/core';
 * initSync(await (await fetch(wasmUrl)).arrayBuffer());
 * ```
 */
export function initSync(module?: BufferSource | WebAssembly.Module): void;

/**
 * True once `init()` or `initSync()` has completed.
 *
 * ```ts
 * if (!isReady()) await init();
 * ```
 */
export function isReady(): boolean;
