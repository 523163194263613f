import fc from 'fast-check';
import { attentivenasSpace } from '../presets/attentivenas.js';
import { tinySpace } from '../presets/tiny.js';
import { createRng, type Rng } from '../rng.js';
import type { SearchSpace } from '../types.js';

/** The presets the property tests range over. */
export const spaces: readonly SearchSpace[] = [attentivenasSpace, tinySpace];

export const spaceArbitrary = fc.constantFrom(...spaces);

/** A seeded generator, so a failing case shrinks to a seed that reproduces it. */
export const rngArbitrary: fc.Arbitrary<Rng> = fc
  .integer({ min: 0, max: 0xffffffff })
  .map((seed) => createRng(seed));
