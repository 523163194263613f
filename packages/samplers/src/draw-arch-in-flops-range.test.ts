import { countFlops } from '@supernas/flops';
import {
  createRng,
  isValidArch,
  maxArch,
  minArch,
  type SearchSpace,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { drawArchInFlopsRange } from './draw-arch-in-flops-range.js';
import { SamplerError } from './sampler-error.js';

const numClasses = 10;
const mflopsOf = (arch: Parameters<typeof countFlops>[1]): number =>
  countFlops(tinySpace, arch, { numClasses }).flops / 1e6;

describe('drawArchInFlopsRange', () => {
  const low = mflopsOf(minArch(tinySpace));
  const high = mflopsOf(maxArch(tinySpace));
  const middle = { low: low + 0.3 * (high - low), high: low + 0.5 * (high - low) };

  it('returns a valid arch whose MFLOPs lie in the range', () => {
    const rng = createRng(3);
    for (let i = 0; i < 50; i++) {
      const result = drawArchInFlopsRange(tinySpace, middle, { rng, numClasses, maxTries: 1000 });
      expect(result.inRange).toBe(true);
      expect(isValidArch(tinySpace, result.arch)).toBe(true);
      expect(result.mflops).toBe(mflopsOf(result.arch));
      expect(result.mflops).toBeGreaterThanOrEqual(middle.low);
      expect(result.mflops).toBeLessThan(middle.high);
    }
  });

  it('falls back to the closest draw after maxTries misses', () => {
    // Nothing is cheaper than the min subnet, so every draw misses.
    const belowAll = { low: low / 4, high: low / 2 };
    const result = drawArchInFlopsRange(tinySpace, belowAll, {
      rng: createRng(4),
      numClasses,
      maxTries: 25,
    });
    expect(result.inRange).toBe(false);
    expect(result.draws).toBe(25);
    // The closest of the same 25 draws, replayed from the same seed.
    const replay = createRng(4);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 25; i++) {
      const only = drawArchInFlopsRange(
        tinySpace,
        { low: 0, high: Number.MAX_VALUE },
        { rng: replay, numClasses },
      );
      best = Math.min(best, only.mflops);
    }
    expect(result.mflops).toBe(best);
  });

  it('accepts the upper edge only when includeHigh is set', () => {
    // A space with one arch, so every draw has exactly the same MFLOPs.
    const single: SearchSpace = {
      ...tinySpace,
      resolutions: tinySpace.resolutions.slice(0, 1),
      firstConv: { ...tinySpace.firstConv, widths: tinySpace.firstConv.widths.slice(0, 1) },
      lastConv: { ...tinySpace.lastConv, widths: tinySpace.lastConv.widths.slice(0, 1) },
      stages: tinySpace.stages.map((stage) => ({
        ...stage,
        widths: stage.widths.slice(0, 1),
        depths: stage.depths.slice(0, 1),
        kernelSizes: stage.kernelSizes.slice(0, 1),
        expandRatios: stage.expandRatios.slice(0, 1),
      })),
    };
    const only = countFlops(single, minArch(single), { numClasses }).flops / 1e6;
    const top = { low: only - 1, high: only };
    const closed = drawArchInFlopsRange(
      single,
      { ...top, includeHigh: true },
      { rng: createRng(5), numClasses },
    );
    expect(closed).toMatchObject({ inRange: true, draws: 1, mflops: only });
    const open = drawArchInFlopsRange(single, top, { rng: createRng(5), numClasses, maxTries: 3 });
    expect(open).toMatchObject({ inRange: false, draws: 3, mflops: only });
  });

  it('is reproducible from the seed', () => {
    const first = drawArchInFlopsRange(tinySpace, middle, { rng: createRng(6), numClasses });
    const second = drawArchInFlopsRange(tinySpace, middle, { rng: createRng(6), numClasses });
    expect(second).toEqual(first);
  });

  it('rejects a bad maxTries or an empty range', () => {
    expect(() =>
      drawArchInFlopsRange(tinySpace, middle, { rng: createRng(1), numClasses, maxTries: 0 }),
    ).toThrow(SamplerError);
    expect(() =>
      drawArchInFlopsRange(tinySpace, middle, { rng: createRng(1), numClasses, maxTries: 0 }),
    ).toThrow(/maxTries must be a positive integer, got 0/);
    expect(() =>
      drawArchInFlopsRange(tinySpace, { low: 5, high: 4 }, { rng: createRng(1), numClasses }),
    ).toThrow(/range must be an MFLOPs interval/);
  });
});
