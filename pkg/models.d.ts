// `tend-crm/models`: the buying-model API — fit BG/NBD, MBG/NBD or Pareto/NBD (with Gamma-Gamma
// for spend) and score customers with a fit. A WebAssembly module of its own
// (`wasm/tend_models_bg.wasm`), initialised on import; a page that only loads engines never
// downloads it.
import type { BuyingFit, BuyingSummary, FitBuyingModelOptions, Id, InitInput, ScoredCustomer, Timestamp } from './index.js';

export { TendError, isTendError } from './index.js';

/**
 * Fit a buy-till-you-die model by maximum likelihood (BG/NBD, MBG/NBD or Pareto/NBD, with
 * Gamma-Gamma for spend). Throws `TendError` with code `fit_failed` when the data cannot be
 * fitted (no repeat buyers); a fit that stops without converging says so in `converged` and
 * `message`.
 *
 * ```ts
 * import { fitBuyingModel } from 'tend-crm/models';
 * const fit = fitBuyingModel({ orders }, { timeUnit: 'week', asOf: '1997-09-30', spend: 'gammagamma' });
 * console.log(fit.params.r, fit.logLikelihood); // 0.243 -9582.4 on CDNOW
 * ```
 */
export function fitBuyingModel(
  input: { summaries: BuyingSummary[] } | { orders: { customerId: Id; at: Timestamp; amount?: number }[] },
  options?: FitBuyingModelOptions,
): BuyingFit;

/**
 * Score customers with a fit: P(alive), expected purchases and the probability of none over
 * `horizon` (in the fit's unit), and with a spend model the expected spend and the CLV
 * discounted at `discountRate` per period.
 *
 * ```ts
 * import { scoreBuying } from 'tend-crm/models';
 * const [c] = scoreBuying(fit, [{ id: 1, frequency: 2, recency: 30.43, T: 38.86 }], { horizon: 39 });
 * console.log(c.expectedPurchases); // 1.226
 * ```
 */
export function scoreBuying(
  fit: BuyingFit,
  summaries: BuyingSummary[],
  options: { horizon: number; discountRate?: number },
): ScoredCustomer[];

/**
 * Load and instantiate the buying-model module (`import 'tend-crm/models'` has done it; with
 * `tend-crm/models-core`, call it once yourself).
 *
 * ```ts
 * import { init, fitBuyingModel } from 'tend-crm/models-core';
 * await init();
 * ```
 */
export function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/**
 * Instantiate the buying-model module synchronously (without an argument: Node only).
 *
 * ```ts
 * import { initSync } from 'tend-crm/models-core';
 * initSync(bytes);
 * ```
 */
export function initSync(module?: BufferSource | WebAssembly.Module): void;

/**
 * True once the buying-model module is ready.
 *
 * ```ts
 * import { isReady, init } from 'tend-crm/models-core';
 * if (!isReady()) await init();
 * ```
 */
export function isReady(): boolean;
