import { attentivenasSpace, type SearchSpace, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { loadPredictor } from './load-predictor.js';
import { kendallTau } from './metrics/kendall-tau.js';
import { ridgeRegression } from './ridge.js';
import { syntheticData } from './test-utils/synthetic.js';

// Only the resolution varies: the ordinal encoding is x = 0, 0.5, 1 plus constant zeros.
const oneGeneSpace: SearchSpace = {
  ...tinySpace,
  name: 'one-gene',
  resolutions: [24, 28, 32],
  firstConv: { ...tinySpace.firstConv, widths: [tinySpace.firstConv.widths[0]!] },
  stages: tinySpace.stages.map((stage) => ({
    ...stage,
    widths: [stage.widths[0]!],
    depths: [stage.depths[0]!],
    kernelSizes: [stage.kernelSizes[0]!],
    expandRatios: [stage.expandRatios[0]!],
  })),
  lastConv: { ...tinySpace.lastConv, widths: [tinySpace.lastConv.widths[0]!] },
};

function archAt(resolution: number) {
  const stages = oneGeneSpace.stages;
  return {
    resolution,
    width: [
      oneGeneSpace.firstConv.widths[0]!,
      ...stages.map((s) => s.widths[0]!),
      oneGeneSpace.lastConv.widths[0]!,
    ],
    depth: stages.map((s) => s.depths[0]!),
    kernelSize: stages.map((s) => s.kernelSizes[0]!),
    expandRatio: stages.map((s) => s.expandRatios[0]!),
  };
}

describe('ridgeRegression', () => {
  it('solves the closed form (hand-computed: w = 4/3, b = 7/3 for y = 1, 3, 5 at x = 0, 0.5, 1, alpha 1)', async () => {
    const ridge = ridgeRegression({ space: oneGeneSpace, encoder: 'ordinal', alpha: 1 });
    const archs = [24, 28, 32].map(archAt);
    await ridge.fit(archs, [1, 3, 5]);
    const [low, middle, high] = ridge.predict(archs);
    expect(low).toBeCloseTo(7 / 3, 12);
    expect(middle).toBeCloseTo(7 / 3 + 2 / 3, 12);
    expect(high).toBeCloseTo(11 / 3, 12);
    expect(ridge.toJSON().intercept).toBeCloseTo(7 / 3, 12);
  });

  it('ranks a (nearly additive) synthetic accuracy almost perfectly and round-trips through JSON', async () => {
    const train = syntheticData(attentivenasSpace, 300, 1);
    const test = syntheticData(attentivenasSpace, 200, 2);
    const ridge = ridgeRegression({ space: attentivenasSpace, alpha: 0.01 });
    await ridge.fit(train.archs, train.accuracies);
    const predicted = ridge.predict(test.archs);
    expect(kendallTau(predicted, test.accuracies)).toBeGreaterThan(0.9);
    const loaded = loadPredictor(JSON.parse(JSON.stringify(ridge.toJSON())));
    expect(loaded.kind).toBe('ridge');
    loaded.predict(test.archs).forEach((value, i) => {
      expect(value).toBeCloseTo(predicted[i]!, 10);
    });
  });

  it('refuses a non-positive alpha', () => {
    expect(() => ridgeRegression({ space: tinySpace, alpha: 0 })).toThrow(
      /alpha must be a number > 0, got 0/,
    );
  });
});
