import { archFromGeneValues, archGenes, geneValue } from './arch-genes.js';
import type { Rng } from './rng.js';
import { SearchSpaceOptionError } from './search-space-option-error.js';
import type { ArchConfig, SearchSpace } from './types.js';

export interface MutateArchOptions {
  /** Chance that each gene is replaced; the reference default is 0.1. */
  readonly probability?: number;
  /** Leave the resolution as it is (the reference `keep_resolution`). */
  readonly keepResolution?: boolean;
}

/**
 * Evolutionary mutation, as the reference `mutate_and_reset`: each gene, with `probability`,
 * is replaced by a *different* choice drawn uniformly (a gene with one choice stays). Draws one
 * `rng.next()` per gene whatever happens, so the stream stays aligned across archs.
 */
export function mutateArch(
  space: SearchSpace,
  arch: ArchConfig,
  rng: Rng,
  options: MutateArchOptions = {},
): ArchConfig {
  const probability = options.probability ?? 0.1;
  if (!(probability >= 0 && probability <= 1)) {
    throw new SearchSpaceOptionError('mutateArch', 'probability', probability, 'in [0, 1]');
  }
  const values = archGenes(space).map((gene) => {
    const current = geneValue(arch, gene);
    const mutate = rng.next() < probability;
    if (!mutate || (gene.field === 'resolution' && options.keepResolution)) return current;
    const others = gene.choices.filter((choice) => choice !== current);
    return others.length === 0 ? current : rng.choice(others);
  });
  return archFromGeneValues(space, values);
}
