export { encodeTrainingData } from './check-training-data.js';
export {
  type ArchEncoder,
  createEncoder,
  type EncoderName,
  encoderNames,
  referenceEncoder,
} from './encoders.js';
export {
  type GradientBoostingOptions,
  GradientBoostingPredictor,
  gradientBoosting,
} from './forest/gradient-boosting.js';
export {
  type RandomForestOptions,
  RandomForestPredictor,
  randomForest,
} from './forest/random-forest.js';
export { checkTrees, PackedForest, type TreeArrays } from './forest/tree-arrays.js';
export { importSklearnForest, type SklearnForestDump } from './import-sklearn-forest.js';
export { loadPredictor } from './load-predictor.js';
export { kendallTau } from './metrics/kendall-tau.js';
export { rmse } from './metrics/rmse.js';
export { averageRanks, spearmanRho } from './metrics/spearman-rho.js';
export { topKHitRate } from './metrics/top-k-hit-rate.js';
export type { Predictor } from './predictor.js';
export { PredictorError } from './predictor-error.js';
export {
  checkPredictorSpace,
  type GradientBoostingJson,
  type LoadPredictorOptions,
  type MlpJson,
  type PredictorJson,
  type PredictorJsonHeader,
  type PredictorKind,
  type PredictorSource,
  predictorFormat,
  predictorFormatVersion,
  predictorHeader,
  type RandomForestJson,
  type RidgeJson,
  readPredictorHeader,
} from './predictor-json.js';
export { predictorRanker } from './predictor-ranker.js';
export { type PublishedModel, publishedAttentivenasModels } from './published-models.js';
export { type RidgeOptions, RidgePredictor, ridgeRegression } from './ridge.js';
