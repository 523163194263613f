import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archGenes, geneValue } from './arch-genes.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { createRng } from './rng.js';
import { sampleArch } from './sample-arch.js';
import { rngArbitrary, spaceArbitrary } from './test-utils/arbitraries.js';
import { isValidArch } from './validate-arch.js';

describe('sampleArch', () => {
  it('always gives an arch of the space', () => {
    fc.assert(
      fc.property(spaceArbitrary, rngArbitrary, (space, rng) =>
        isValidArch(space, sampleArch(space, rng)),
      ),
      { numRuns: 300 },
    );
  });

  it('is reproducible from the seed', () => {
    expect(sampleArch(attentivenasSpace, createRng(7))).toEqual(
      sampleArch(attentivenasSpace, createRng(7)),
    );
  });

  it('draws every choice of every gene about equally often', () => {
    const rng = createRng(1);
    const draws = 3000;
    const genes = archGenes(attentivenasSpace);
    const counts = genes.map((gene) => new Map(gene.choices.map((choice) => [choice, 0])));
    for (let i = 0; i < draws; i++) {
      const arch = sampleArch(attentivenasSpace, rng);
      genes.forEach((gene, g) => {
        const tally = counts[g]!;
        const value = geneValue(arch, gene);
        tally.set(value, tally.get(value)! + 1);
      });
    }
    genes.forEach((gene, g) => {
      for (const count of counts[g]!.values()) {
        // 6 choices at most: expected >= 500, and 5 sigma is under 120.
        expect(Math.abs(count - draws / gene.choices.length)).toBeLessThan(130);
      }
    });
  });
});
