import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  archKey,
  attentivenasSpace,
  createRng,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { createEvolutionarySearch, evolutionarySearch } from './evolutionary-search.js';
import { SearchError } from './search-error.js';
import { syntheticFitness } from './test-utils/synthetic-fitness.js';
import type { EvolutionarySearchOptions } from './types.js';

const space = attentivenasSpace;
const fitness = (archs: readonly ArchConfig[]) =>
  archs.map((arch) => syntheticFitness(space, arch));
const mflopsOf = (arch: ArchConfig) => countFlops(space, arch, { numClasses: 1000 }).flops / 1e6;
const base: EvolutionarySearchOptions = {
  space,
  fitness,
  numClasses: 1000,
  constraints: { mflops: { min: 300, max: 400 } },
  populationSize: 16,
  generations: 5,
  seed: 1,
};

describe('evolutionarySearch', () => {
  it('is reproducible from its seed', async () => {
    const first = await evolutionarySearch(base);
    const second = await evolutionarySearch(base);
    const other = await evolutionarySearch({ ...base, seed: 2 });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(first));
  });

  it('evaluates only archs inside every bound, each once', async () => {
    const seen = new Set<string>();
    const result = await evolutionarySearch({
      ...base,
      constraints: { mflops: { min: 300, max: 400 }, params: { max: 10e6 } },
      fitness: async (archs) => {
        for (const arch of archs) {
          expect(seen.has(archKey(arch))).toBe(false);
          seen.add(archKey(arch));
          expect(mflopsOf(arch)).toBeGreaterThanOrEqual(300);
          expect(mflopsOf(arch)).toBeLessThanOrEqual(400);
          expect(countFlops(space, arch, { numClasses: 1000 }).params).toBeLessThanOrEqual(10e6);
        }
        return fitness(archs);
      },
    });
    expect(result.evaluated).toBe(seen.size);
    expect(result.best.fitness).toBe(Math.max(...result.population.map((entry) => entry.fitness)));
    expect(result.best.mflops).toBeCloseTo(mflopsOf(result.best.arch), 9);
  });

  it('returns the Pareto fronts of fitness against MFLOPs and params over everything evaluated', async () => {
    const evaluated: { fitness: number; mflops: number }[] = [];
    const result = await evolutionarySearch({
      ...base,
      fitness: (archs) => {
        const scores = fitness(archs);
        archs.forEach((arch, i) => {
          evaluated.push({ fitness: scores[i]!, mflops: mflopsOf(arch) });
        });
        return scores;
      },
    });
    const front = result.paretoFronts.mflops;
    expect(front.length).toBeGreaterThan(1);
    for (const entry of front) {
      const beaten = evaluated.some(
        (other) =>
          other.fitness >= entry.fitness &&
          other.mflops <= entry.mflops &&
          (other.fitness > entry.fitness || other.mflops < entry.mflops),
      );
      expect(beaten).toBe(false);
    }
    expect(front.at(-1)!.fitness).toBe(result.best.fitness);
    expect(result.paretoFronts.params.length).toBeGreaterThan(0);
    expect(result.paretoFronts.latency).toBeUndefined();
  });

  it('finds fitter archs than random sampling with the same number of evaluations', async () => {
    for (const seed of [1, 2, 3]) {
      const result = await evolutionarySearch({ ...base, seed, generations: 10 });
      const rng = createRng(100 + seed);
      let randomBest = Number.NEGATIVE_INFINITY;
      for (let drawn = 0; drawn < result.evaluated; ) {
        const arch = sampleArch(space, rng);
        const mflops = mflopsOf(arch);
        if (mflops < 300 || mflops > 400) continue;
        drawn++;
        randomBest = Math.max(randomBest, syntheticFitness(space, arch));
      }
      expect(result.best.fitness).toBeGreaterThan(randomBest);
    }
  });

  it('respects a latency bound from a latency function and reports its front', async () => {
    const latency = (arch: ArchConfig) =>
      mflopsOf(arch) / 100 + arch.depth.reduce((a, b) => a + b, 0) * 0.1;
    const result = await evolutionarySearch({
      ...base,
      constraints: { latency: { max: 5.5 } },
      latency,
    });
    for (const entry of [...result.population, ...result.paretoFronts.latency!]) {
      expect(entry.latency).toBeLessThanOrEqual(5.5);
      expect(entry.latency).toBe(latency(entry.arch));
    }
  });

  it('resumes from a saved state exactly where it stopped', async () => {
    const straight = await evolutionarySearch({ ...base, generations: 6 });
    const first = createEvolutionarySearch({ ...base, generations: 3 });
    await first.run();
    const saved = JSON.parse(JSON.stringify(first.state()));
    expect(saved.generation).toBe(3);
    const progress: number[] = [];
    const second = createEvolutionarySearch({
      ...base,
      generations: 6,
      seed: 1,
      onGeneration: (p) => progress.push(p.generation),
    });
    second.resume(saved);
    const resumed = await second.run();
    expect(progress).toEqual([4, 5, 6]);
    expect(JSON.stringify(resumed)).toBe(JSON.stringify(straight));
  });

  it('gives up with a clear error when no draw lands in a too narrow window', async () => {
    const narrow = { ...base, constraints: { mflops: { min: 300, max: 300.001 } }, maxAttempts: 5 };
    const error = await evolutionarySearch(narrow).catch((caught: unknown) => caught);
    expect(SearchError.hasCode(error, 'constraint_unsatisfied')).toBe(true);
    expect((error as Error).message).toBe(
      'search: no initial candidate met the constraints {"mflops":{"min":300,"max":300.001}} in 5 draws; widen the bounds or raise maxAttempts',
    );
  });

  it('refuses a damaged state and stays as it was', async () => {
    const search = createEvolutionarySearch(base);
    await search.step();
    const good = search.state();
    const before = JSON.stringify(search.result());
    const damaged = [
      { ...good, rng: [1, 2, 3] },
      { ...good, generation: -2 },
      {
        ...good,
        evaluated: [{ ...good.evaluated[0]!, key: 'r1_w_d_k_e' }, ...good.evaluated.slice(1)],
      },
      { ...good, population: [...good.population, 'r1_w_d_k_e'] },
    ];
    for (const state of damaged) {
      expect(() => search.resume(state)).toThrow(/^search: cannot resume: /);
    }
    expect(JSON.stringify(search.result())).toBe(before);
  });

  it('refuses a state saved by a search with other settings', async () => {
    const first = createEvolutionarySearch(base);
    await first.step();
    const other = createEvolutionarySearch({ ...base, constraints: { mflops: { max: 500 } } });
    expect(() => other.resume(first.state())).toThrow(/cannot resume: its settings/);
  });

  it('refuses a predictor of another space, a bad fitness result and an impossible budget', async () => {
    expect(() =>
      createEvolutionarySearch({ ...base, fitness: { spaceName: 'tiny', predict: fitness } }),
    ).toThrow(
      "search: the predictor was made for space 'tiny' and cannot score archs of space 'attentivenas'",
    );
    await expect(
      evolutionarySearch({ ...base, fitness: (archs) => archs.map(() => Number.NaN) }),
    ).rejects.toThrow(/the fitness result must be 16 finite numbers, one per arch/);
    await expect(
      evolutionarySearch({ ...base, space: tinySpace, constraints: { mflops: { max: 0.001 } } }),
    ).rejects.toThrow(/no arch of space 'tiny' meets max MFLOPs 0.001: the smallest arch has/);
    expect(() => createEvolutionarySearch({ ...base, populationSize: 0 })).toThrow(SearchError);
  });
});
