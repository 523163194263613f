import { countFlops } from '@supernas/flops';
import { attentivenasSpace, createRng, maxArch, minArch, sampleArch } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { checkBudget, costOf, repairArch } from './constraints.js';
import { SearchError } from './search-error.js';

const model = { numClasses: 1000 };

describe('checkBudget', () => {
  it('names the smallest arch cost when the max is below it', () => {
    expect(() => checkBudget(attentivenasSpace, { mflops: { max: 150 } }, model)).toThrow(
      "no arch of space 'attentivenas' meets max MFLOPs 150: the smallest arch has 203.39 MFLOPs",
    );
    const params = countFlops(attentivenasSpace, minArch(attentivenasSpace), model).params;
    expect(() => checkBudget(attentivenasSpace, { params: { max: 1e6 } }, model)).toThrow(
      `no arch of space 'attentivenas' meets max params 1000000: the smallest arch has ${params} params`,
    );
    try {
      checkBudget(attentivenasSpace, { mflops: { max: 150 } }, model);
    } catch (error) {
      expect(SearchError.hasCode(error, 'budget_infeasible')).toBe(true);
    }
  });

  it('names the largest arch cost when the min is above it, and accepts a budget that fits', () => {
    expect(() => checkBudget(attentivenasSpace, { mflops: { min: 5000 } }, model)).toThrow(
      /meets min MFLOPs 5000: the largest arch has 1939.34 MFLOPs/,
    );
    expect(() =>
      checkBudget(attentivenasSpace, { mflops: { min: 300, max: 400 } }, model),
    ).not.toThrow();
  });
});

describe('repairArch', () => {
  it('moves archs into an MFLOPs window one gene at a time', () => {
    const rng = createRng(3);
    const constraints = { mflops: { min: 300, max: 350 } };
    let repaired = 0;
    for (let i = 0; i < 50; i++) {
      const result = repairArch(
        attentivenasSpace,
        sampleArch(attentivenasSpace, rng),
        constraints,
        model,
        rng,
        200,
      );
      if (!result) continue;
      repaired++;
      const mflops = countFlops(attentivenasSpace, result.arch, model).flops / 1e6;
      expect(mflops).toBeGreaterThanOrEqual(300);
      expect(mflops).toBeLessThanOrEqual(350);
      expect(result.cost.mflops).toBe(mflops);
    }
    expect(repaired).toBeGreaterThan(40);
  });

  it('reaches the smallest arch when only it fits', () => {
    const smallest = costOf(attentivenasSpace, minArch(attentivenasSpace), model).mflops;
    const result = repairArch(
      attentivenasSpace,
      maxArch(attentivenasSpace),
      { mflops: { max: smallest } },
      model,
      createRng(1),
      200,
    );
    expect(result?.arch).toEqual(minArch(attentivenasSpace));
  });
});
