import { archGenes } from './arch-genes.js';
import type { SearchSpace } from './types.js';

/**
 * How many distinct `ArchConfig`s a space holds: the product of the number of choices of every
 * gene (resolution, first-conv width, each stage's width, depth, kernel size and expand ratio,
 * last-conv width). Kernel size and expand ratio are per stage, as in the reference
 * `set_active_subnet`, so depth contributes a factor, not an exponent.
 *
 * For `attentivenas` this is 4 * 2 * 2 * 8 * 36 * 48 * 48 * 108 * 48 * 8 = 440,301,256,704
 * (4.4e11). The "2.2e11" sometimes quoted for this space is the same product without one of
 * the two-way factors (for example without the last-conv width choice).
 */
export function countSubnets(space: SearchSpace): number {
  return archGenes(space).reduce((product, gene) => product * gene.choices.length, 1);
}
