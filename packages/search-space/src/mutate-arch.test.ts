import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archGenes, geneValue } from './arch-genes.js';
import { minArch } from './extreme-archs.js';
import { mutateArch } from './mutate-arch.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { createRng } from './rng.js';
import { sampleArch } from './sample-arch.js';
import { rngArbitrary, spaceArbitrary } from './test-utils/arbitraries.js';
import { isValidArch } from './validate-arch.js';

describe('mutateArch', () => {
  it('always gives an arch of the space', () => {
    fc.assert(
      fc.property(
        spaceArbitrary,
        rngArbitrary,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (space, rng, probability) =>
          isValidArch(space, mutateArch(space, sampleArch(space, rng), rng, { probability })),
      ),
      { numRuns: 300 },
    );
  });

  it('changes nothing at probability 0 and every multi-choice gene at probability 1', () => {
    const arch = minArch(attentivenasSpace);
    expect(mutateArch(attentivenasSpace, arch, createRng(3), { probability: 0 })).toEqual(arch);
    const mutated = mutateArch(attentivenasSpace, arch, createRng(3), { probability: 1 });
    for (const gene of archGenes(attentivenasSpace)) {
      const changed = geneValue(mutated, gene) !== geneValue(arch, gene);
      expect(changed).toBe(gene.choices.length > 1);
    }
  });

  it('keeps the resolution when asked', () => {
    const arch = minArch(attentivenasSpace);
    const mutated = mutateArch(attentivenasSpace, arch, createRng(4), {
      probability: 1,
      keepResolution: true,
    });
    expect(mutated.resolution).toBe(192);
    expect(mutated.width[0]).toBe(24);
  });

  it('rejects a probability outside [0, 1]', () => {
    expect(() =>
      mutateArch(attentivenasSpace, minArch(attentivenasSpace), createRng(1), { probability: 2 }),
    ).toThrow('mutateArch: probability must be in [0, 1], got 2');
  });
});
