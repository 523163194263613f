import { attentivenasSpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { loadPredictor } from '../load-predictor.js';
import { kendallTau } from '../metrics/kendall-tau.js';
import { rmse } from '../metrics/rmse.js';
import { syntheticData } from '../test-utils/synthetic.js';
import { gradientBoosting } from './gradient-boosting.js';

const train = syntheticData(attentivenasSpace, 256, 1);
const test = syntheticData(attentivenasSpace, 200, 2);
const mean = train.accuracies.reduce((a, b) => a + b, 0) / train.accuracies.length;

describe('gradientBoosting', () => {
  it('fits residuals round after round: more trees, lower training error', async () => {
    const errors: number[] = [];
    for (const trees of [1, 10, 40]) {
      const boosted = gradientBoosting({ space: attentivenasSpace, trees, maxDepth: 3 });
      await boosted.fit(train.archs, train.accuracies);
      errors.push(rmse(boosted.predict(train.archs), train.accuracies));
    }
    const baseline = rmse(
      train.accuracies.map(() => mean),
      train.accuracies,
    );
    expect(errors[0]).toBeLessThan(baseline);
    expect(errors[1]).toBeLessThan(errors[0]!);
    expect(errors[2]).toBeLessThan(errors[1]!);
  });

  it('ranks unseen archs of a synthetic accuracy, and round-trips through JSON', async () => {
    const boosted = gradientBoosting({
      space: attentivenasSpace,
      trees: 60,
      maxDepth: 3,
      learningRate: 0.2,
      subsample: 0.8,
      seed: 5,
    });
    await boosted.fit(train.archs, train.accuracies);
    const predicted = boosted.predict(test.archs);
    expect(kendallTau(predicted, test.accuracies)).toBeGreaterThan(0.6);
    const json = JSON.parse(JSON.stringify(boosted.toJSON()));
    expect(json).toMatchObject({
      kind: 'gradient-boosting',
      learningRate: 0.2,
      space: 'attentivenas',
    });
    expect(json.trees).toHaveLength(60);
    expect(loadPredictor(json).predict(test.archs)).toEqual(predicted);
    const again = gradientBoosting({ ...boosted.options, space: attentivenasSpace });
    await again.fit(train.archs, train.accuracies);
    expect(again.predict(test.archs)).toEqual(predicted);
  });

  it('refuses a learning rate outside (0, 1]', () => {
    expect(() => gradientBoosting({ space: attentivenasSpace, learningRate: 2 })).toThrow(
      /learningRate must be a number in \(0, 1\], got 2/,
    );
  });
});
