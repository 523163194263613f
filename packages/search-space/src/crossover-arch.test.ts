import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { archGenes, geneValue } from './arch-genes.js';
import { crossoverArch } from './crossover-arch.js';
import { maxArch, minArch } from './extreme-archs.js';
import { attentivenasSpace } from './presets/attentivenas.js';
import { createRng } from './rng.js';
import { sampleArch } from './sample-arch.js';
import { rngArbitrary, spaceArbitrary } from './test-utils/arbitraries.js';
import { isValidArch } from './validate-arch.js';

describe('crossoverArch', () => {
  it('always gives an arch of the space whose genes come from a parent', () => {
    fc.assert(
      fc.property(spaceArbitrary, rngArbitrary, (space, rng) => {
        const first = sampleArch(space, rng);
        const second = sampleArch(space, rng);
        const child = crossoverArch(space, first, second, rng);
        return (
          isValidArch(space, child) &&
          archGenes(space).every((gene) =>
            [geneValue(first, gene), geneValue(second, gene)].includes(geneValue(child, gene)),
          )
        );
      }),
      { numRuns: 300 },
    );
  });

  it('takes everything from the first parent at probability 1 and the second at 0', () => {
    const small = minArch(attentivenasSpace);
    const large = maxArch(attentivenasSpace);
    const rng = createRng(5);
    expect(crossoverArch(attentivenasSpace, small, large, rng, { probability: 1 })).toEqual(small);
    expect(crossoverArch(attentivenasSpace, small, large, rng, { probability: 0 })).toEqual(large);
  });

  it('mixes both parents at the default probability', () => {
    const child = crossoverArch(
      attentivenasSpace,
      minArch(attentivenasSpace),
      maxArch(attentivenasSpace),
      createRng(6),
    );
    const fromSmall = archGenes(attentivenasSpace).filter(
      (gene) => gene.choices.length > 1 && geneValue(child, gene) === Math.min(...gene.choices),
    ).length;
    expect(fromSmall).toBeGreaterThan(5);
    expect(fromSmall).toBeLessThan(22);
  });
});
