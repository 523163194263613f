import { countFlops } from '@supernas/flops';
import { type ArchConfig, archKey, maxArch, minArch, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { NoArchWithinBudgetError } from './errors.js';
import { fitLatencyModel } from './latency-model.js';
import { runSearch, type SearchRequest } from './search-problem.js';

const min = minArch(tinySpace);
const max = maxArch(tinySpace);
const middle: ArchConfig = { ...max, depth: min.depth };
const counts = { numClasses: 10, inputChannels: 1 };
const mflops = (arch: ArchConfig) => countFlops(tinySpace, arch, counts).flops / 1e6;

const base: Omit<SearchRequest, 'budget'> = {
  space: 'tiny',
  ...counts,
  known: [
    { arch: min, accuracy: 0.7, latencyMs: 1 },
    { arch: middle, accuracy: 0.75, latencyMs: 2 },
    { arch: max, accuracy: 0.8, latencyMs: 3 },
  ],
};

describe('runSearch', () => {
  it('picks the most accurate measured arch within a latency budget', async () => {
    const result = await runSearch({ ...base, budget: { maxLatencyMs: 2.5 } });
    expect(result.chosen.key).toBe(archKey(middle));
    expect(result.chosen.latencySource).toBe('measured');
    expect(result.front.map((candidate) => candidate.cost)).toEqual([1, 2, 3]);
  });

  it('ranks by MFLOPs under a MFLOPs budget', async () => {
    const result = await runSearch({ ...base, budget: { maxMflops: mflops(max) - 1e-6 } });
    expect(result.chosen.key).toBe(archKey(middle));
    expect(result.chosen.cost).toBeCloseTo(mflops(middle), 10);
  });

  // A stand-in predictor for the tests: more MFLOPs, higher accuracy, above every known arch.
  const byMflops = {
    predict: (archs: readonly ArchConfig[]) => archs.map((arch) => 0.8 + mflops(arch) / 1000),
  };
  const latencyModel = fitLatencyModel(
    tinySpace,
    base.known.map(({ arch, latencyMs }) => ({ arch, latencyMs: latencyMs! })),
    counts,
  );

  it('searches the space with the evolutionary search, scored by the predictor, under a MFLOPs budget', async () => {
    const budget = (mflops(min) + mflops(max)) / 2;
    const loaded: unknown[] = [];
    const result = await runSearch(
      {
        ...base,
        budget: { maxMflops: budget },
        predictor: { json: { kind: 'test' }, seed: 1, populationSize: 16, generations: 5 },
      },
      (json) => {
        loaded.push(json);
        return byMflops;
      },
    );
    expect(loaded).toEqual([{ kind: 'test' }]);
    expect(result.method).toBe('evolutionary');
    expect(result.evaluated).toBeGreaterThan(16);
    expect(result.chosen.accuracySource).toBe('predicted');
    expect(result.chosen.mflops).toBeLessThanOrEqual(budget);
    // The fittest arch under the budget is near it: the search climbed, it did not stop at min.
    expect(result.chosen.mflops).toBeGreaterThan(0.9 * budget);
    expect(result.fronts.mflops.map((entry) => entry.mflops)).toEqual(
      [...result.fronts.mflops.map((entry) => entry.mflops)].sort((a, b) => a - b),
    );
    expect(result.fronts.latency).toBeUndefined();
  });

  it('uses measured latencies where it has them and the latency model elsewhere', async () => {
    const result = await runSearch(
      {
        ...base,
        budget: { maxLatencyMs: 2.5 },
        latencyModel,
        predictor: { json: {}, populationSize: 16, generations: 3 },
      },
      () => byMflops,
    );
    expect(result.chosen.cost).toBeLessThanOrEqual(2.5);
    const all = [...result.front, ...result.fronts.mflops];
    const minEntry = all.find((entry) => entry.key === archKey(min));
    expect(minEntry?.latencySource).toBe('measured');
    expect(minEntry?.latencyMs).toBe(1);
    expect(result.fronts.latency!.length).toBeGreaterThan(0);
    expect(result.front.some((entry) => entry.latencySource === 'predicted')).toBe(true);
  });

  it('fails with NoArchWithinBudgetError when the budget is below every arch, with a predictor', async () => {
    const error = await runSearch(
      {
        ...base,
        budget: { maxMflops: mflops(min) / 2 },
        predictor: { json: {}, populationSize: 8, generations: 1 },
      },
      () => byMflops,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoArchWithinBudgetError);
  });

  it('fails with the cheapest cost when nothing fits', async () => {
    const error = await runSearch({ ...base, budget: { maxLatencyMs: 0.5 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NoArchWithinBudgetError);
    expect((error as Error).message).toMatch(
      /latency budget of 0.5 ms; the cheapest candidate needs 1/,
    );
  });

  it('rejects a budget that is not positive', async () => {
    await expect(runSearch({ ...base, budget: { maxMflops: -1 } })).rejects.toThrow(
      /maxMflops is -1, expected a positive number/,
    );
  });
});
