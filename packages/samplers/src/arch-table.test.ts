import { countFlops, flopsPrior } from '@supernas/flops';
import {
  type ArchConfig,
  archKey,
  createRng,
  maxArch,
  minArch,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { ArchTable } from './arch-table.js';
import { flopsBin } from './flops-bin.js';
import { SamplerError } from './sampler-error.js';

const space = tinySpace;
const numClasses = 10;
const mflopsOf = (arch: ArchConfig): number => countFlops(space, arch, { numClasses }).flops / 1e6;
const { binEdges } = flopsPrior(space, { rng: createRng(1), numClasses, samples: 2000, bins: 8 });
const binOf = (arch: ArchConfig): number => flopsBin(binEdges, mflopsOf(arch));

/** The archs `sampleArch` draws from `seed`, in order, with their bins. */
function replay(seed: number, count: number): { key: string; bin: number }[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const arch = sampleArch(space, rng);
    return { key: archKey(arch), bin: binOf(arch) };
  });
}

describe('ArchTable', () => {
  it('gives each bin the uniform draws that landed in it, in order, each once', () => {
    const table = new ArchTable(space, binEdges, { numClasses, perBin: 1000, maxTries: 1000 });
    const rng = createRng(2);
    const targets = createRng(3);
    const taken = new Map<number, string[]>();
    let draws = 0;
    for (let i = 0; i < 400; i++) {
      // Targets follow the draws' own bins, as a prior built by flopsPrior does.
      const bin = binOf(sampleArch(space, targets));
      const result = table.take(bin, rng);
      expect(result.inRange).toBe(true);
      expect(binOf(result.arch)).toBe(bin);
      expect(result.mflops).toBe(mflopsOf(result.arch));
      draws += result.draws;
      taken.set(bin, [...(taken.get(bin) ?? []), archKey(result.arch)]);
    }
    // Nothing is dropped at this size, so bin b's candidates are exactly the first draws of
    // the generator that landed in b: what rejection sampling would have accepted for b.
    const drawn = replay(2, draws);
    for (const [bin, keys] of taken) {
      const landed = drawn.filter((draw) => draw.bin === bin).map((draw) => draw.key);
      expect(keys).toEqual(landed.slice(0, keys.length));
    }
    // Rejection sampling needs ~1 / p(bin) draws per candidate; the table needs about one.
    expect(draws / 400).toBeLessThan(1.5);
  });

  it('drops draws that land in a full bin', () => {
    const table = new ArchTable(space, binEdges, { numClasses, perBin: 1, maxTries: 1000 });
    const rng = createRng(4);
    const bin = binOf(sampleArch(space, createRng(5)));
    let draws = 0;
    for (let i = 0; i < 30; i++) draws += table.take(bin, rng).draws;
    const waiting = table.state();
    expect(waiting.every((archs) => archs.length <= 1)).toBe(true);
    expect(waiting[bin]).toEqual([]);
    // Every draw was either taken (30), left waiting, or dropped; the drawn ones in bin order.
    const drawn = replay(4, draws);
    const kept = waiting.flat().length;
    expect(draws).toBeGreaterThan(30 + kept);
    for (const [other, archs] of waiting.entries()) {
      const first = drawn.find((draw) => draw.bin === other);
      if (archs.length > 0) expect(archKey(archs[0] as ArchConfig)).toBe(first?.key);
    }
  });

  it('falls back to the nearest waiting arch when a bin gets nothing in maxTries draws', () => {
    const low = mflopsOf(minArch(space));
    const high = mflopsOf(maxArch(space));
    // Bin 0 lies below the min subnet: no arch can land there.
    const edges = [low / 4, low / 2, high];
    const table = new ArchTable(space, edges, { numClasses, perBin: 100, maxTries: 7 });
    const result = table.take(0, createRng(6));
    expect(result).toMatchObject({ inRange: false, draws: 7 });
    // The oldest of bin 1, the only waiting arch of the nearest bin, is the first draw.
    expect(archKey(result.arch)).toBe(replay(6, 1)[0]?.key);
    expect(table.state()[1]).toHaveLength(6);
  });

  it('restores its contents from a JSON state and rejects archs filed in the wrong bin', () => {
    const options = { numClasses, perBin: 16, maxTries: 100 };
    const table = new ArchTable(space, binEdges, options);
    const rng = createRng(7);
    for (let i = 0; i < 20; i++) table.take(i % 8, rng);
    const saved = JSON.parse(JSON.stringify(table.state()));
    expect(saved.flat().length).toBeGreaterThan(0);
    const copy = new ArchTable(space, binEdges, options);
    copy.restore('attentive-best', saved);
    expect(copy.state()).toEqual(table.state());
    const full = saved.findIndex((archs: unknown[]) => archs.length > 0);
    const wrong = saved.map((archs: unknown[], bin: number) =>
      bin === (full + 1) % saved.length ? saved[full] : bin === full ? [] : archs,
    );
    expect(() => copy.restore('attentive-best', wrong)).toThrow(SamplerError);
    expect(() => copy.restore('attentive-best', wrong)).toThrow(
      /state\.table\[\d\] must be archs of this space whose MFLOPs fall in bin \d/,
    );
    expect(() => copy.restore('attentive-best', saved.slice(1))).toThrow(
      /state\.table must be 8 lists of archs/,
    );
  });
});
