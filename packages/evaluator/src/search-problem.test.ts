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

  it('scores archs drawn from the space with a predictor and predicts their latency', async () => {
    const latencyModel = fitLatencyModel(
      tinySpace,
      base.known.map(({ arch, latencyMs }) => ({ arch, latencyMs: latencyMs! })),
      counts,
    );
    const seen: ArchConfig[][] = [];
    const result = await runSearch(
      {
        ...base,
        budget: { maxLatencyMs: 10 },
        latencyModel,
        predictor: { json: { kind: 'test' }, samples: 50, seed: 1 },
      },
      (json) => {
        expect(json).toEqual({ kind: 'test' });
        return {
          // A stand-in scoring rule for the test: more MFLOPs, higher accuracy, above every known arch.
          predict: (archs) => {
            seen.push([...archs]);
            return archs.map((arch) => 0.8 + mflops(arch) / 1000);
          },
        };
      },
    );
    expect(seen[0]!.length).toBeGreaterThan(10);
    expect(result.evaluated).toBe(3 + seen[0]!.length);
    expect(result.chosen.accuracySource).toBe('predicted');
    expect(result.chosen.latencySource).toBe('predicted');
    expect(result.chosen.cost).toBeLessThanOrEqual(10);
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
