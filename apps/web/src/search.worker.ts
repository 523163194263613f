import type { AccuracyPredictor } from '@supernas/evaluator';
import { exposeSearchWorker } from '@supernas/evaluator/search-worker';
import { loadPredictor } from '@supernas/predictors';

// `supernas predictor build` fits its predictors on top-1 in percent; searches rank top-1 in [0, 1].
exposeSearchWorker({
  loadPredictor: (json): AccuracyPredictor => {
    const predictor = loadPredictor(json);
    return { predict: (archs) => predictor.predict(archs).map((percent) => percent / 100) };
  },
});
