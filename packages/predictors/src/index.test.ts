import { describe, expect, it } from 'vitest';
import * as predictors from './index.js';

describe('@supernas/predictors', () => {
  it('exports every predictor, the loaders, the metrics and the import', () => {
    for (const name of [
      'createEncoder',
      'referenceEncoder',
      'randomForest',
      'gradientBoosting',
      'ridgeRegression',
      'loadPredictor',
      'importSklearnForest',
      'kendallTau',
      'spearmanRho',
      'rmse',
      'topKHitRate',
      'predictorRanker',
      'publishedAttentivenasModels',
    ]) {
      expect(predictors, name).toHaveProperty(name);
    }
    expect(predictors.publishedAttentivenasModels.map((model) => model.name)).toEqual([
      'A0',
      'A1',
      'A2',
      'A3',
      'A4',
      'A5',
      'A6',
    ]);
  });
});
