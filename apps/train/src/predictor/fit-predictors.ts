import {
  gradientBoosting,
  kendallTau,
  type Predictor,
  randomForest,
  ridgeRegression,
  rmse,
} from '@supernas/predictors';
import type { SearchSpace } from '@supernas/search-space';
import type { SampleRecord } from './sample-records.js';

export const predictorChoices = ['rf', 'ridge', 'gbt', 'mlp'] as const;
export type PredictorChoice = (typeof predictorChoices)[number];

export interface PredictorScore {
  readonly kind: PredictorChoice;
  /** Kendall tau-b between predicted and measured held-out top-1 on the test samples. */
  readonly kendallTau: number;
  /** In top-1 percentage points. */
  readonly rmse: number;
  readonly fitSeconds: number;
}

/** A new, unfitted predictor of one kind; the MLP is loaded only when asked for (tfjs). */
export async function makePredictor(
  kind: PredictorChoice,
  space: SearchSpace,
  seed: number,
): Promise<Predictor & { dispose?: () => void }> {
  switch (kind) {
    case 'rf':
      return randomForest({ space, seed });
    case 'ridge':
      return ridgeRegression({ space });
    case 'gbt':
      return gradientBoosting({ space, seed });
    case 'mlp': {
      const { mlpPredictor } = await import('@supernas/predictors/mlp');
      // A few hundred samples at most: a small net, many passes.
      return mlpPredictor({ space, hiddenLayers: [64, 64], epochs: 200, batchSize: 32, seed });
    }
  }
}

const percent = (records: readonly SampleRecord[]) => records.map((record) => record.top1 * 100);

/** Fits one predictor kind on `fit` and scores it on `test` (top-1 in percent). */
export async function fitAndScore(
  kind: PredictorChoice,
  space: SearchSpace,
  seed: number,
  fit: readonly SampleRecord[],
  test: readonly SampleRecord[],
): Promise<PredictorScore> {
  const predictor = await makePredictor(kind, space, seed);
  try {
    const start = performance.now();
    await predictor.fit(
      fit.map((record) => record.arch),
      percent(fit),
    );
    const fitSeconds = (performance.now() - start) / 1000;
    const predicted = predictor.predict(test.map((record) => record.arch));
    const measured = percent(test);
    return {
      kind,
      kendallTau: kendallTau(predicted, measured),
      rmse: rmse(predicted, measured),
      fitSeconds,
    };
  } finally {
    predictor.dispose?.();
  }
}

/** Fits `kind` on every sample: the predictor a run keeps. */
export async function fitFinal(
  kind: PredictorChoice,
  space: SearchSpace,
  seed: number,
  samples: readonly SampleRecord[],
): Promise<ReturnType<Predictor['toJSON']>> {
  const predictor = await makePredictor(kind, space, seed);
  try {
    await predictor.fit(
      samples.map((record) => record.arch),
      percent(samples),
    );
    return predictor.toJSON();
  } finally {
    predictor.dispose?.();
  }
}
