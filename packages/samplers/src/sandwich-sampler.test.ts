import { archKey, createRng, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import type { Sampler } from './sampler.js';
import { SamplerError } from './sampler-error.js';
import { sandwichSampler } from './sandwich-sampler.js';
import { uniformSampler } from './uniform-sampler.js';

describe('sandwichSampler', () => {
  it.each([0, 1, 2, 5])('returns [max, %i middle archs, min] every step', async (middle) => {
    const inner = uniformSampler({ space: tinySpace, rng: createRng(middle) });
    const sampler = sandwichSampler({ space: tinySpace, middle, inner });
    for (let step = 0; step < 3; step++) {
      const archs = await sampler.sample({ step });
      expect(archs).toHaveLength(middle + 2);
      expect(archKey(archs[0]!)).toBe(archKey(maxArch(tinySpace)));
      expect(archs[0]).toEqual(sampler.first);
      expect(archKey(archs.at(-1)!)).toBe(archKey(minArch(tinySpace)));
    }
    expect(sampler.stats()).toMatchObject({
      sampler: 'sandwich',
      calls: 3,
      archs: 3 * (middle + 2),
    });
    expect(sampler.stats().inner?.archs).toBe(3 * middle);
  });

  it('takes the middle archs from the inner sampler, in order', async () => {
    const reference = uniformSampler({ space: tinySpace, rng: createRng(9) });
    const expected = [...(await reference.sample()), ...(await reference.sample())].map(archKey);
    const sampler = sandwichSampler({
      space: tinySpace,
      middle: 2,
      inner: uniformSampler({ space: tinySpace, rng: createRng(9) }),
    });
    const archs = await sampler.sample();
    expect(archs.slice(1, 3).map(archKey)).toEqual(expected);
  });

  it('drops the surplus of an inner sampler that returns several archs', async () => {
    const base = uniformSampler({ space: tinySpace, rng: createRng(2) });
    const triple: Sampler = {
      ...base,
      name: 'triple',
      sample: async () => [
        ...(await base.sample()),
        ...(await base.sample()),
        ...(await base.sample()),
      ],
    };
    const sampler = sandwichSampler({ space: tinySpace, middle: 4, inner: triple });
    expect(await sampler.sample()).toHaveLength(6);
  });

  it('passes the context on to the inner sampler', async () => {
    const seen: unknown[] = [];
    const inner: Sampler = {
      ...uniformSampler({ space: tinySpace, rng: createRng(1) }),
      sample: async (context) => {
        seen.push(context?.step);
        return [minArch(tinySpace)];
      },
    };
    await sandwichSampler({ space: tinySpace, middle: 2, inner }).sample({ step: 42 });
    expect(seen).toEqual([42, 42]);
  });

  it('resumes the inner sampler from a saved state', async () => {
    const make = (seed: number) =>
      sandwichSampler({
        space: tinySpace,
        middle: 2,
        inner: uniformSampler({ space: tinySpace, rng: createRng(seed) }),
      });
    const sampler = make(5);
    await sampler.sample();
    const saved = JSON.parse(JSON.stringify(sampler.state()));
    const expected = (await sampler.sample()).map(archKey);
    const resumed = make(6);
    resumed.restore(saved);
    expect((await resumed.sample()).map(archKey)).toEqual(expected);
    expect(resumed.stats()).toEqual(sampler.stats());
  });

  it('rejects a negative middle count or a missing inner sampler', () => {
    expect(() => sandwichSampler({ space: tinySpace, middle: -1 })).toThrow(SamplerError);
    expect(() => sandwichSampler({ space: tinySpace, middle: -1 })).toThrow(
      /middle must be a non-negative integer, got -1/,
    );
    expect(() => sandwichSampler({ space: tinySpace, middle: 2 })).toThrow(
      /inner must be a sampler for the 2 middle archs/,
    );
  });
});
