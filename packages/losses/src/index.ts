export {
  type AdaptiveAlphaDivergenceOptions,
  adaptiveAlphaDivergence,
  checkAdaptiveAlphaDivergenceOptions,
} from './adaptive-alpha-divergence.js';
export { type AlphaDivergenceOptions, alphaDivergence } from './alpha-divergence.js';
export {
  crossEntropyWithLabelSmoothing,
  type LabelSmoothingOptions,
} from './cross-entropy-with-label-smoothing.js';
export { type KlDivergenceOptions, klDivergence } from './kl-divergence.js';
export { LossArgumentError } from './loss-argument-error.js';
