import { type ArchConfig, encodeArch, type SearchSpace } from '@supernas/search-space';

/**
 * A made-up fitness with a known optimum structure: rewards resolution, depth and kernel size
 * per cost but dislikes wide expand ratios in early stages, so the best arch under a budget is
 * not simply the largest one.
 */
export function syntheticFitness(space: SearchSpace, arch: ArchConfig): number {
  const genes = encodeArch(space, arch);
  let fitness = 0;
  genes.forEach((value, g) => {
    const weight = ((g * 7) % 11) - 3;
    fitness += weight * value;
  });
  return fitness;
}
