import { countFlops, flopsPrior } from '@supernas/flops';
import { archKey, createRng, isValidArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { SamplerError } from './sampler-error.js';
import { uniformSampler } from './uniform-sampler.js';

async function keys(sampler: ReturnType<typeof uniformSampler>, calls: number): Promise<string[]> {
  const result: string[] = [];
  for (let i = 0; i < calls; i++) result.push(...(await sampler.sample()).map(archKey));
  return result;
}

describe('uniformSampler', () => {
  it('returns one valid arch per call, varied, the same sequence for the same seed', async () => {
    const first = await keys(uniformSampler({ space: tinySpace, rng: createRng(1) }), 30);
    const second = await keys(uniformSampler({ space: tinySpace, rng: createRng(1) }), 30);
    expect(first).toHaveLength(30);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBeGreaterThan(20);
    const [arch] = await uniformSampler({ space: tinySpace, rng: createRng(2) }).sample();
    expect(isValidArch(tinySpace, arch)).toBe(true);
  });

  it('continues the exact sequence after a state round trip through JSON', async () => {
    const sampler = uniformSampler({ space: tinySpace, rng: createRng(7) });
    await keys(sampler, 5);
    const saved = JSON.parse(JSON.stringify(sampler.state()));
    const expected = await keys(sampler, 10);
    const resumed = uniformSampler({ space: tinySpace, rng: createRng(999) });
    resumed.restore(saved);
    expect(await keys(resumed, 10)).toEqual(expected);
    expect(resumed.stats().calls).toBe(15);
  });

  it('keeps a FLOPs histogram when given bins', async () => {
    const prior = flopsPrior(tinySpace, {
      rng: createRng(3),
      numClasses: 10,
      samples: 500,
      bins: 8,
    });
    const sampler = uniformSampler({
      space: tinySpace,
      rng: createRng(4),
      histogram: { binEdges: prior.binEdges, numClasses: 10 },
    });
    const archs = [];
    for (let i = 0; i < 40; i++) archs.push(...(await sampler.sample()));
    const stats = sampler.stats();
    expect(stats.archs).toBe(40);
    expect(stats.flopsHistogram?.counts.reduce((sum, count) => sum + count, 0)).toBe(40);
    const largestBin = Math.max(
      ...archs.map((arch) => countFlops(tinySpace, arch, { numClasses: 10 }).flops / 1e6),
    );
    expect(largestBin).toBeLessThanOrEqual(prior.binEdges.at(-1) as number);
    expect(sampler.report()).toMatch(/^uniform: 40 calls, 40 archs, MFLOPs bins \[/);
  });

  it('refuses a state from another kind of sampler', () => {
    const sampler = uniformSampler({ space: tinySpace, rng: createRng(1) });
    const state = { ...sampler.state(), sampler: 'sandwich' };
    expect(() => sampler.restore(state)).toThrow(SamplerError);
    expect(() => sampler.restore({ ...sampler.state(), rng: [1, 2, 3] })).toThrow(
      /state.rng must be four uint32 words/,
    );
  });
});
