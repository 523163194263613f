import { archFromGeneValues, archGenes } from './arch-genes.js';
import type { ArchConfig, SearchSpace } from './types.js';

/** The largest subnet: the largest choice everywhere (the sandwich rule's teacher). */
export function maxArch(space: SearchSpace): ArchConfig {
  return archFromGeneValues(
    space,
    archGenes(space).map((gene) => Math.max(...gene.choices)),
  );
}

/** The smallest subnet: the smallest choice everywhere. */
export function minArch(space: SearchSpace): ArchConfig {
  return archFromGeneValues(
    space,
    archGenes(space).map((gene) => Math.min(...gene.choices)),
  );
}
