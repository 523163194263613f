import { attentivenasSpace, tinySpace } from '@supernas/search-space';
import { RandomForestRegression } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { loadPredictor } from '../load-predictor.js';
import { kendallTau } from '../metrics/kendall-tau.js';
import { PredictorError } from '../predictor-error.js';
import { syntheticData } from '../test-utils/synthetic.js';
import { randomForest } from './random-forest.js';

const train = syntheticData(attentivenasSpace, 256, 1);
const test = syntheticData(attentivenasSpace, 200, 2);

describe('randomForest', () => {
  it('learns a synthetic accuracy well enough to rank unseen archs', async () => {
    const forest = randomForest({ space: attentivenasSpace, trees: 20, seed: 3 });
    await forest.fit(train.archs, train.accuracies);
    const tau = kendallTau(forest.predict(test.archs), test.accuracies);
    // scikit-learn's RandomForestRegressor(20 trees, depth 15) reaches tau 0.55 on the same data.
    expect(tau).toBeGreaterThan(0.5);
    expect(forest.size.trees).toBe(20);
  });

  it('predicts as ml-random-forest itself with the same options and seed', async () => {
    const forest = randomForest({ space: attentivenasSpace, trees: 5, maxDepth: 6, seed: 9 });
    await forest.fit(train.archs, train.accuracies);
    const reference = new RandomForestRegression({
      nEstimators: 5,
      maxFeatures: 31,
      replacement: false,
      seed: 9,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: { maxDepth: 6, minNumSamples: 1 },
    });
    const encode = (archs: typeof train.archs) =>
      archs.map((arch) => forest.encoder.encode(arch).map(Math.fround));
    reference.train(encode(train.archs), train.accuracies);
    const expected = reference.predict(encode(test.archs));
    const actual = forest.predict(test.archs);
    actual.forEach((value, i) => {
      expect(value).toBeCloseTo(expected[i] as number, 10);
    });
  });

  it('is reproducible from its seed and survives toJSON / loadPredictor', async () => {
    const first = randomForest({ space: attentivenasSpace, trees: 4, seed: 11 });
    const second = randomForest({ space: attentivenasSpace, trees: 4, seed: 11 });
    await first.fit(train.archs, train.accuracies);
    await second.fit(train.archs, train.accuracies);
    expect(second.toJSON()).toEqual(first.toJSON());
    const json = JSON.parse(JSON.stringify(first.toJSON()));
    expect(json).toMatchObject({
      format: 'supernas-predictor',
      formatVersion: 1,
      kind: 'random-forest',
      space: 'attentivenas',
      encoder: 'reference',
      featureCount: 31,
    });
    const loaded = loadPredictor(json, { space: attentivenasSpace });
    expect(loaded.predict(test.archs)).toEqual(first.predict(test.archs));
  });

  it('refuses to load into a search over another space', async () => {
    const forest = randomForest({ space: attentivenasSpace, trees: 2 });
    await forest.fit(train.archs, train.accuracies);
    const json = forest.toJSON();
    expect(() => loadPredictor(json, { space: tinySpace })).toThrow(
      "the predictor was made for space 'attentivenas' and cannot score archs of space 'tiny'",
    );
    try {
      loadPredictor(json, { space: tinySpace });
    } catch (error) {
      expect(PredictorError.hasCode(error, 'predictor_space_mismatch')).toBe(true);
    }
  });

  it('refuses to predict before fitting, and bad training data', async () => {
    const forest = randomForest({ space: attentivenasSpace });
    expect(() => forest.predict(test.archs)).toThrow(/call fit\(\)/);
    await expect(forest.fit(train.archs, [1, 2])).rejects.toThrow(
      /accuracies must be 256 numbers, one per arch, got 2/,
    );
    expect(() => randomForest({ space: attentivenasSpace, trees: 0 })).toThrow(
      /trees must be a positive integer, got 0/,
    );
  });
});
