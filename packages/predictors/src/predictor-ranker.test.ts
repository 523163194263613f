import { flopsPrior } from '@supernas/flops';
import { attentiveSampler, type RankArchs } from '@supernas/samplers';
import { type ArchConfig, attentivenasSpace, createRng, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { predictorRanker } from './predictor-ranker.js';
import { ridgeRegression } from './ridge.js';
import { syntheticAccuracy, syntheticData } from './test-utils/synthetic.js';

async function fittedRidge() {
  const ridge = ridgeRegression({ space: attentivenasSpace, alpha: 0.01 });
  const data = syntheticData(attentivenasSpace, 300, 4);
  await ridge.fit(data.archs, data.accuracies);
  return ridge;
}

describe('predictorRanker', () => {
  it('scores each arch by its negated predicted accuracy', async () => {
    const ridge = await fittedRidge();
    const archs = syntheticData(attentivenasSpace, 5, 8).archs;
    expect(predictorRanker(ridge)(archs)).toEqual(ridge.predict(archs).map((value) => -value));
  });

  it("makes the attentive sampler's best mode train the candidate the predictor likes most", async () => {
    const ridge = await fittedRidge();
    const ranker = predictorRanker(ridge, attentivenasSpace);
    const seen: { archs: readonly ArchConfig[]; scores: readonly number[] }[] = [];
    const rank: RankArchs = (archs) => {
      const scores = ranker(archs);
      seen.push({ archs, scores });
      return scores;
    };
    const prior = flopsPrior(attentivenasSpace, {
      rng: createRng(1),
      numClasses: 1000,
      samples: 2000,
      bins: 5,
    });
    for (const mode of ['best', 'worst'] as const) {
      const sampler = attentiveSampler({
        space: attentivenasSpace,
        prior,
        candidates: 3,
        mode,
        rank,
        rng: createRng(2),
        numClasses: 1000,
      });
      for (let step = 0; step < 4; step++) {
        const [chosen] = await sampler.sample({ step });
        const { archs } = seen.at(-1)!;
        const accuracies = archs.map((arch) => syntheticAccuracy(attentivenasSpace, arch));
        const target = mode === 'best' ? Math.max(...accuracies) : Math.min(...accuracies);
        // The ridge fits the synthetic accuracy closely enough to agree on the extreme candidate.
        expect(syntheticAccuracy(attentivenasSpace, chosen!)).toBe(target);
      }
    }
  });

  it('refuses a predictor of another space', async () => {
    const ridge = await fittedRidge();
    expect(() => predictorRanker(ridge, tinySpace)).toThrow(/made for space 'attentivenas'/);
  });
});
