import { attentivenasSpace, createRng, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { flopsPrior, sampleFlopsTarget } from './flops-prior.js';

describe('flopsPrior', () => {
  it('spans the min to max subnet MFLOPs with bins + 1 edges', () => {
    const prior = flopsPrior(attentivenasSpace, {
      rng: createRng(1),
      numClasses: 1000,
      samples: 2000,
      bins: 10,
    });
    expect(prior.binEdges).toHaveLength(11);
    expect(prior.binEdges[0]).toBeCloseTo(203.389568, 9);
    expect(prior.binEdges[10]).toBeCloseTo(1939.335808, 9);
    expect(prior.counts.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(prior.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Uniform choices put most subnets in the middle, few near the extremes.
    const peak = prior.counts.indexOf(Math.max(...prior.counts));
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThan(9);
  });

  it('is reproducible from the seed', () => {
    const options = { numClasses: 10, samples: 500, bins: 8 };
    const first = flopsPrior(tinySpace, { ...options, rng: createRng(3) });
    expect(flopsPrior(tinySpace, { ...options, rng: createRng(3) })).toEqual(first);
  });

  it('rejects bad sample and bin counts', () => {
    expect(() => flopsPrior(tinySpace, { rng: createRng(1), numClasses: 10, bins: 0 })).toThrow(
      'flopsPrior: bins must be a positive integer, got 0',
    );
  });
});

describe('sampleFlopsTarget', () => {
  const prior = {
    binEdges: [100, 200, 300, 400],
    counts: [1, 0, 3],
    probabilities: [0.25, 0, 0.75],
  };

  it('draws bins with the prior probabilities and never an empty one', () => {
    const rng = createRng(2);
    const hits = [0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      const target = sampleFlopsTarget(prior, rng);
      hits[target.bin]! += 1;
      expect([target.low, target.high]).toEqual([
        prior.binEdges[target.bin],
        prior.binEdges[target.bin + 1],
      ]);
    }
    expect(hits[1]).toBe(0);
    expect(Math.abs(hits[0]! - 1000)).toBeLessThan(150);
  });

  it('rejects a prior whose probabilities sum to zero', () => {
    expect(() =>
      sampleFlopsTarget({ binEdges: [0, 1], counts: [0], probabilities: [0] }, createRng(1)),
    ).toThrow(/positive sum/);
  });
});
