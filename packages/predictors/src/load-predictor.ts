import { GradientBoostingPredictor } from './forest/gradient-boosting.js';
import { RandomForestPredictor } from './forest/random-forest.js';
import { checkTrees } from './forest/tree-arrays.js';
import type { Predictor } from './predictor.js';
import { PredictorError } from './predictor-error.js';
import {
  type GradientBoostingJson,
  type LoadPredictorOptions,
  type RandomForestJson,
  type RidgeJson,
  readPredictorHeader,
} from './predictor-json.js';
import { RidgePredictor } from './ridge.js';

/**
 * A predictor from its `toJSON()` (parsed). Checks the format, version, space and encoder; with
 * `options.space`, a predictor of another space is refused (`predictor_space_mismatch`). MLP
 * predictors need tfjs: load them with `loadPredictor` from `@supernas/predictors/mlp`.
 */
export function loadPredictor(json: unknown, options: LoadPredictorOptions = {}): Predictor {
  const { header, space } = readPredictorHeader(json, options);
  switch (header.kind) {
    case 'random-forest': {
      const record = json as RandomForestJson;
      checkTrees(record.trees, header.featureCount);
      const predictor = new RandomForestPredictor({ space, encoder: header.encoder });
      predictor.setTrees(record.trees, record.source);
      return predictor;
    }
    case 'gradient-boosting': {
      const record = json as GradientBoostingJson;
      checkTrees(record.trees, header.featureCount);
      const predictor = new GradientBoostingPredictor({
        space,
        encoder: header.encoder,
        trees: record.trees.length,
        learningRate: record.learningRate,
      });
      predictor.setTrees(record.init, record.trees);
      return predictor;
    }
    case 'ridge': {
      const record = json as RidgeJson;
      const predictor = new RidgePredictor({ space, encoder: header.encoder, alpha: record.alpha });
      predictor.setParameters(record.weights ?? [], record.intercept);
      return predictor;
    }
    default:
      throw new PredictorError(
        "an MLP predictor needs tfjs: load it with loadPredictor from '@supernas/predictors/mlp'",
        { code: 'predictor_needs_tfjs', value: header.kind },
      );
  }
}
