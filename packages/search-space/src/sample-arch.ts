import { archFromGeneValues, archGenes } from './arch-genes.js';
import type { Rng } from './rng.js';
import type { ArchConfig, SearchSpace } from './types.js';

/**
 * A subnet drawn uniformly per choice, as the reference `sample_active_subnet`: every gene
 * (resolution, each width, depth, kernel size and expand ratio) independently. Consumes exactly
 * one `rng.int` per gene, in `archGenes` order.
 */
export function sampleArch(space: SearchSpace, rng: Rng): ArchConfig {
  return archFromGeneValues(
    space,
    archGenes(space).map((gene) => rng.choice(gene.choices)),
  );
}
