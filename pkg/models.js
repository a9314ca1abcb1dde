// tend-crm/models: the buying-model API (fit BG/NBD, MBG/NBD, Pareto/NBD and Gamma-Gamma; score
// customers), initialised on import like 'tend-crm'. Where top-level await is not allowed,
// import 'tend-crm/models-core' and call `await init()` once instead.
import { init } from './models-core.js';

await init();

export { fitBuyingModel, scoreBuying, init, initSync, isReady } from './models-core.js';
export { TendError, isTendError } from './errors.js';
