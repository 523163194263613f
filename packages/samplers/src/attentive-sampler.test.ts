import { countFlops, type FlopsPrior, flopsPrior } from '@supernas/flops';
import {
  type ArchConfig,
  archKey,
  attentivenasSpace,
  createRng,
  type SearchSpace,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { attentiveSampler } from './attentive-sampler.js';
import { flopsBin } from './flops-bin.js';
import type { RankArchs } from './sampler.js';
import { SamplerError } from './sampler-error.js';

const presets: [string, SearchSpace, number][] = [
  ['attentivenas', attentivenasSpace, 1000],
  ['tiny', tinySpace, 10],
];
const priors = new Map<SearchSpace, FlopsPrior>();
function priorOf(space: SearchSpace, numClasses: number): FlopsPrior {
  let prior = priors.get(space);
  if (!prior) {
    prior = flopsPrior(space, { rng: createRng(11), numClasses, samples: 4000, bins: 20 });
    priors.set(space, prior);
  }
  return prior;
}

const mflops = (space: SearchSpace, arch: ArchConfig, numClasses: number): number =>
  countFlops(space, arch, { numClasses }).flops / 1e6;

/** A rank callback that scores by MFLOPs and records every candidate list it sees. */
function recordingRank(space: SearchSpace, numClasses: number) {
  const seen: ArchConfig[][] = [];
  const rank: RankArchs = async (archs) => {
    seen.push([...archs]);
    return archs.map((arch) => mflops(space, arch, numClasses));
  };
  return { seen, rank };
}

describe('attentiveSampler', () => {
  it.each(presets)(
    'lands candidates in the drawn target bin at least 90%% of the time: %s',
    async (_, space, numClasses) => {
      const prior = priorOf(space, numClasses);
      const { seen, rank } = recordingRank(space, numClasses);
      const sampler = attentiveSampler({
        space,
        prior,
        candidates: 3,
        mode: 'best',
        rank,
        rng: createRng(1),
        numClasses,
      });
      for (let i = 0; i < 150; i++) await sampler.sample();
      const stats = sampler.stats();
      expect(stats.candidates).toBe(450);
      expect((stats.candidates - stats.fallbacks) / stats.candidates).toBeGreaterThanOrEqual(0.9);
      // Checked independently of the sampler's own counters: candidates of one call share a bin.
      let together = 0;
      for (const candidates of seen) {
        const bins = candidates.map((arch) =>
          flopsBin(prior.binEdges, mflops(space, arch, numClasses)),
        );
        const counts = new Map<number, number>();
        for (const bin of bins) counts.set(bin, (counts.get(bin) ?? 0) + 1);
        together += Math.max(...counts.values());
      }
      expect(together / stats.candidates).toBeGreaterThanOrEqual(0.9);
      expect(stats.acceptedDraws).toBe(stats.candidates - stats.fallbacks);
      expect(stats.candidateDraws).toBeGreaterThanOrEqual(stats.candidates);
    },
  );

  it('returns the lowest-scoring candidate in best mode and the highest in worst mode', async () => {
    const [, space, numClasses] = presets[1]!;
    const prior = priorOf(space, numClasses);
    for (const mode of ['best', 'worst'] as const) {
      const { seen, rank } = recordingRank(space, numClasses);
      const sampler = attentiveSampler({
        space,
        prior,
        candidates: 4,
        mode,
        rank,
        rng: createRng(2),
        numClasses,
      });
      for (let i = 0; i < 20; i++) {
        const [chosen] = await sampler.sample();
        const scores = (seen.at(-1) as ArchConfig[]).map((arch) => mflops(space, arch, numClasses));
        const extreme = mode === 'best' ? Math.min(...scores) : Math.max(...scores);
        expect(mflops(space, chosen as ArchConfig, numClasses)).toBe(extreme);
      }
      expect(sampler.name).toBe(`attentive-${mode}`);
      expect(sampler.stats().rankCalls).toBe(20);
    }
  });

  it('tells the rank callback which score it keeps', async () => {
    const [, space, numClasses] = presets[1]!;
    for (const [mode, prefer] of [
      ['best', 'lowest'],
      ['worst', 'highest'],
    ] as const) {
      const hints: unknown[] = [];
      const sampler = attentiveSampler({
        space,
        prior: priorOf(space, numClasses),
        candidates: 3,
        mode,
        rng: createRng(2),
        numClasses,
      });
      await sampler.sample({
        step: 4,
        rank: (archs, context) => {
          hints.push(context);
          return archs.map(() => 1);
        },
      });
      expect(hints).toEqual([expect.objectContaining({ step: 4, prefer })]);
    }
  });

  it('breaks ties toward the earlier candidate and uses the context rank when given', async () => {
    const [, space, numClasses] = presets[1]!;
    const prior = priorOf(space, numClasses);
    let firstCandidate: ArchConfig | undefined;
    const tied: RankArchs = (archs) => {
      firstCandidate = archs[0];
      return archs.map(() => 1);
    };
    const sampler = attentiveSampler({
      space,
      prior,
      candidates: 3,
      mode: 'worst',
      rank: () => {
        throw new Error('the options rank must not be used when the context brings one');
      },
      rng: createRng(3),
      numClasses,
    });
    const [chosen] = await sampler.sample({ rank: tied, step: 7 });
    expect(chosen).toBe(firstCandidate);
  });

  it('does not rank a single candidate', async () => {
    const [, space, numClasses] = presets[1]!;
    const sampler = attentiveSampler({
      space,
      prior: priorOf(space, numClasses),
      candidates: 1,
      mode: 'best',
      rng: createRng(4),
      numClasses,
    });
    expect(await sampler.sample()).toHaveLength(1);
    expect(sampler.stats().rankCalls).toBe(0);
  });

  it('gives the same sequence for the same seed, and resumes it from a saved state', async () => {
    const [, space, numClasses] = presets[0]!;
    const prior = priorOf(space, numClasses);
    const make = (seed: number) =>
      attentiveSampler({
        space,
        prior,
        candidates: 3,
        mode: 'best',
        rank: recordingRank(space, numClasses).rank,
        rng: createRng(seed),
        numClasses,
      });
    const run = async (sampler: ReturnType<typeof make>, calls: number) => {
      const keys: string[] = [];
      for (let i = 0; i < calls; i++) keys.push(...(await sampler.sample()).map(archKey));
      return keys;
    };
    const first = make(5);
    const second = make(5);
    expect(await run(second, 8)).toEqual(await run(first, 8));
    expect(await run(make(6), 8)).not.toEqual(await run(make(5), 8));
    const saved = JSON.parse(JSON.stringify(first.state()));
    const expected = await run(first, 5);
    const resumed = make(99);
    resumed.restore(saved);
    expect(await run(resumed, 5)).toEqual(expected);
    expect(resumed.stats()).toEqual(first.stats());
  });

  it('resumes with the archs waiting in its table, and draws like rejection sampling without one', async () => {
    const [, space, numClasses] = presets[1]!;
    const prior = priorOf(space, numClasses);
    const make = (seed: number, tableSize?: number) =>
      attentiveSampler({
        space,
        prior,
        candidates: 3,
        mode: 'best',
        rank: recordingRank(space, numClasses).rank,
        rng: createRng(seed),
        numClasses,
        tableSize,
      });
    const run = async (sampler: ReturnType<typeof make>, calls: number) => {
      const keys: string[] = [];
      for (let i = 0; i < calls; i++) keys.push(...(await sampler.sample()).map(archKey));
      return keys;
    };
    const first = make(12);
    await run(first, 40);
    const saved = JSON.parse(JSON.stringify(first.state()));
    // The table must hold archs for the resume to depend on it.
    expect(saved.table.flat().length).toBeGreaterThan(10);
    const expected = await run(first, 40);
    const resumed = make(13);
    resumed.restore(saved);
    expect(await run(resumed, 40)).toEqual(expected);
    expect(resumed.state()).toEqual(first.state());
    // A resume that loses the table takes other archs: the table is really in the state.
    const tableless = make(13);
    tableless.restore({ ...saved, table: null });
    expect(await run(tableless, 40)).not.toEqual(expected);

    const table = first.stats();
    expect(table.candidateDraws / table.candidates).toBeLessThan(3);
    const rejection = make(12, 0);
    await run(rejection, 80);
    const stats = rejection.stats();
    expect(rejection.state().table).toBeNull();
    expect(stats.candidateDraws / stats.candidates).toBeGreaterThan(6);
  });

  it('keeps a histogram of the chosen archs over the prior bins and reports it', async () => {
    const [, space, numClasses] = presets[1]!;
    const prior = priorOf(space, numClasses);
    const { rank } = recordingRank(space, numClasses);
    const sampler = attentiveSampler({
      space,
      prior,
      candidates: 2,
      mode: 'best',
      rank,
      rng: createRng(8),
      numClasses,
    });
    for (let i = 0; i < 30; i++) await sampler.sample();
    const histogram = sampler.stats().flopsHistogram;
    expect(histogram?.binEdges).toEqual(prior.binEdges);
    expect(
      (histogram?.counts.reduce((sum, count) => sum + count, 0) ?? 0) +
        (histogram?.outOfRange ?? 0),
    ).toBe(30);
    expect(sampler.report()).toMatch(
      /^attentive-best: 30 calls, 30 archs, 60 candidates, target bin hit \d+\.\d%, acceptance/,
    );
  });

  it('rejects bad rank results and options, naming the value', async () => {
    const [, space, numClasses] = presets[1]!;
    const prior = priorOf(space, numClasses);
    const make = (rank: RankArchs) =>
      attentiveSampler({
        space,
        prior,
        candidates: 2,
        mode: 'best',
        rank,
        rng: createRng(9),
        numClasses,
      });
    await expect(make(() => [1]).sample()).rejects.toThrow(SamplerError);
    await expect(make(() => [1]).sample()).rejects.toThrow(
      /rank result must be 2 numbers.*got \[1\]/,
    );
    await expect(make(() => [1, Number.NaN]).sample()).rejects.toThrow(/no NaN/);
    await expect(
      attentiveSampler({
        space,
        prior,
        candidates: 2,
        mode: 'best',
        rng: createRng(1),
        numClasses,
      }).sample(),
    ).rejects.toThrow(/rank must be a function/);
    expect(() =>
      attentiveSampler({
        space,
        prior,
        candidates: 0,
        mode: 'best',
        rng: createRng(1),
        numClasses,
      }),
    ).toThrow(/candidates must be a positive integer, got 0/);
    expect(() =>
      attentiveSampler({
        space,
        prior,
        candidates: 2,
        mode: 'best',
        rng: createRng(1),
        numClasses,
        tableSize: -1,
      }),
    ).toThrow(/tableSize must be a non-negative integer, got -1/);
    expect(() =>
      attentiveSampler({
        space,
        prior,
        candidates: 2,
        mode: 'middle' as 'best',
        rng: createRng(1),
        numClasses,
      }),
    ).toThrow(/mode must be 'best' or 'worst', got 'middle'/);
    expect(() =>
      attentiveSampler({
        space,
        prior: { ...prior, binEdges: [3, 2, 1] },
        candidates: 2,
        mode: 'best',
        rng: createRng(1),
        numClasses,
      }),
    ).toThrow(/prior must be a FlopsPrior with ascending binEdges/);
  });
});
