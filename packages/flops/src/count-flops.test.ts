import {
  type ArchConfig,
  archFromGeneValues,
  archGenes,
  attentivenasSpace,
  createRng,
  describeSubnet,
  geneValue,
  InvalidArchError,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countFlops } from './count-flops.js';
import { flopsBreakdown } from './flops-breakdown.js';
import { publishedModels } from './test-utils/archs.js';

const imagenet = { numClasses: 1000 };
const spaceArbitrary = fc.constantFrom<SearchSpace>(attentivenasSpace, tinySpace);
const seedArbitrary = fc.integer({ min: 0, max: 0xffffffff });

describe('countFlops', () => {
  it('gives AttentiveNAS-A0 203.39 MFLOPs and 9,064,648 params at 1000 classes', () => {
    const [a0] = publishedModels;
    const count = countFlops(attentivenasSpace, a0!.arch, imagenet);
    expect(count.flops).toBe(203_389_568);
    expect(count.params).toBe(9_064_648);
    expect(count.usedParams).toBe(8_954_184);
  });

  it('matches the MFLOPs published for AttentiveNAS-A0 to A6', () => {
    for (const model of publishedModels) {
      const mflops = countFlops(attentivenasSpace, model.arch, imagenet).flops / 1e6;
      expect({ name: model.name, mflops: Math.round(mflops) }).toEqual({
        name: model.name,
        mflops: model.mflops,
      });
    }
  });

  it('gives the min and max subnets of the space 203.39 and 1939.34 MFLOPs', () => {
    expect(countFlops(attentivenasSpace, minArch(attentivenasSpace), imagenet).flops).toBe(
      203_389_568,
    );
    expect(countFlops(attentivenasSpace, maxArch(attentivenasSpace), imagenet).flops).toBe(
      1_939_335_808,
    );
  });

  it('counts the classifier and the input channels', () => {
    const arch = minArch(tinySpace);
    const ten = countFlops(tinySpace, arch, { numClasses: 10 });
    const eleven = countFlops(tinySpace, arch, { numClasses: 11 });
    expect(eleven.flops - ten.flops).toBe(128);
    expect(eleven.params - ten.params).toBe(129);
    const grey = countFlops(tinySpace, arch, { numClasses: 10, inputChannels: 1 });
    // The stride-2 stem maps 24 px to 12 x 12: two more input channels cost 2 * 8 * 9 per output pixel.
    expect(ten.flops - grey.flops).toBe(2 * 8 * 9 * 12 * 12);
  });

  it('agrees with the sum of flopsBreakdown', () => {
    fc.assert(
      fc.property(spaceArbitrary, seedArbitrary, (space, seed) => {
        const arch = sampleArch(space, createRng(seed));
        const layers = flopsBreakdown(space, arch, imagenet);
        const count = countFlops(space, arch, imagenet);
        expect(count.flops).toBe(layers.reduce((sum, layer) => sum + layer.flops, 0));
        expect(count.params).toBe(layers.reduce((sum, layer) => sum + layer.params, 0));
        expect(count.usedParams).toBe(
          layers.reduce((sum, layer) => sum + (layer.idle ? 0 : layer.params), 0),
        );
      }),
      { numRuns: 100 },
    );
  });

  it('grows with every choice: strictly for resolution, widths, depths and kernel sizes', () => {
    fc.assert(
      fc.property(spaceArbitrary, seedArbitrary, fc.nat(), (space, seed, pick) => {
        const genes = archGenes(space).filter((gene) => gene.choices.length > 1);
        const geneIndex = pick % genes.length;
        const gene = genes[geneIndex]!;
        const arch = sampleArch(space, createRng(seed));
        const sorted = [...gene.choices].sort((a, b) => a - b);
        const all = archGenes(space);
        const position = all.indexOf(gene);
        const withValue = (value: number): ArchConfig =>
          archFromGeneValues(
            space,
            all.map((other, i) => (i === position ? value : geneValue(arch, other))),
          );
        for (let i = 1; i < sorted.length; i++) {
          const smaller = withValue(sorted[i - 1]!);
          const larger = withValue(sorted[i]!);
          const before = countFlops(space, smaller, imagenet).flops;
          const after = countFlops(space, larger, imagenet).flops;
          if (gene.field !== 'expandRatio') {
            expect(after).toBeGreaterThan(before);
            continue;
          }
          // A larger expand ratio can round to the same hidden width; it must grow when it does not.
          const mids = (candidate: ArchConfig) =>
            describeSubnet(space, candidate)
              .blocks.map((block) => block.midChannels)
              .join();
          if (mids(smaller) === mids(larger)) expect(after).toBe(before);
          else expect(after).toBeGreaterThan(before);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts the expand conv of expand ratio 1 in a stage that offers larger ratios', () => {
    // The reference runs a block's 1x1 expand conv whenever its stage's largest ratio is not 1.
    const withStageRatios = (expandRatios: number[]): SearchSpace => ({
      ...tinySpace,
      stages: tinySpace.stages.map((stage, index) =>
        index === 1 ? { ...stage, expandRatios } : stage,
      ),
    });
    const arch = { ...minArch(tinySpace), expandRatio: [1, 1, 3, 4] };
    const mixed = countFlops(withStageRatios([1, 3, 4, 6]), arch, { numClasses: 10 });
    const onlyOne = countFlops(withStageRatios([1]), arch, { numClasses: 10 });
    // mb2's one block at 24 px: 8 channels in on a 12 x 12 map, make_divisible(8 * 1, 8) = 8 out,
    // plus an 8-wide BN.
    expect(mixed.flops - onlyOne.flops).toBe(8 * 8 * 12 * 12);
    expect(mixed.params - onlyOne.params).toBe(8 * 8 + 2 * 8);
  });

  it('rejects an arch outside the space and a bad class count', () => {
    const arch = minArch(attentivenasSpace);
    expect(() => countFlops(tinySpace, arch, imagenet)).toThrow(InvalidArchError);
    expect(() => countFlops(attentivenasSpace, arch, { numClasses: 0 })).toThrow(
      'countFlops: numClasses must be a positive integer, got 0',
    );
    expect(() =>
      countFlops(attentivenasSpace, arch, { numClasses: 10, inputChannels: 1.5 }),
    ).toThrow('countFlops: inputChannels must be a positive integer, got 1.5');
  });
});
