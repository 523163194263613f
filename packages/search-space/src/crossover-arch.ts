import { archFromGeneValues, archGenes, geneValue } from './arch-genes.js';
import type { Rng } from './rng.js';
import { SearchSpaceOptionError } from './search-space-option-error.js';
import type { ArchConfig, SearchSpace } from './types.js';

export interface CrossoverArchOptions {
  /** Chance of taking each gene from the first parent; the reference default is 0.5. */
  readonly probability?: number;
}

/**
 * Uniform crossover, as the reference `crossover_and_reset`: every gene comes from `first` with
 * `probability`, otherwise from `second`. One `rng.next()` per gene.
 */
export function crossoverArch(
  space: SearchSpace,
  first: ArchConfig,
  second: ArchConfig,
  rng: Rng,
  options: CrossoverArchOptions = {},
): ArchConfig {
  const probability = options.probability ?? 0.5;
  if (!(probability >= 0 && probability <= 1)) {
    throw new SearchSpaceOptionError('crossoverArch', 'probability', probability, 'in [0, 1]');
  }
  const values = archGenes(space).map((gene) =>
    rng.next() < probability ? geneValue(first, gene) : geneValue(second, gene),
  );
  return archFromGeneValues(space, values);
}
