import type { SearchSpace } from '@supernas/search-space';
import { loadPredictor as loadPurePredictor } from '../load-predictor.js';
import type { Predictor } from '../predictor.js';
import { type LoadPredictorOptions, type MlpJson, readPredictorHeader } from '../predictor-json.js';
import { MlpPredictor } from './mlp-predictor.js';

export { type MlpOptions, MlpPredictor, mlpPredictor } from './mlp-predictor.js';

/**
 * `loadPredictor` of the main entry, plus MLP predictors (which need tfjs-core). Dispose a
 * loaded `MlpPredictor` when done.
 */
export function loadPredictor(json: unknown, options: LoadPredictorOptions = {}): Predictor {
  const { header, space } = readPredictorHeader(json, options);
  if (header.kind !== 'mlp') return loadPurePredictor(json, { space: space as SearchSpace });
  const record = json as MlpJson;
  const predictor = new MlpPredictor({
    space,
    encoder: header.encoder,
    hiddenLayers: record.hiddenLayers,
  });
  predictor.setWeights(record);
  return predictor;
}
