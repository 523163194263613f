import type { ArchConfig, SearchSpace } from './types.js';

/** The array-valued fields of an `ArchConfig`, in gene order. */
export type ArchListField = 'width' | 'depth' | 'kernelSize' | 'expandRatio';

/**
 * One independent choice of an arch: where it lives in an `ArchConfig` and what it may be.
 * `index` is undefined for `resolution` and the position in the field's array otherwise.
 */
export interface ArchGene {
  readonly field: 'resolution' | ArchListField;
  readonly index: number | undefined;
  /** `first conv`, a stage name, or `last conv`; `input` for the resolution. */
  readonly label: string;
  readonly choices: readonly number[];
}

const cache = new WeakMap<SearchSpace, readonly ArchGene[]>();

/**
 * Every choice of a space in a fixed order: resolution, width (first conv, each stage, last
 * conv), depth, kernelSize, expandRatio, each per stage. This is the order of the reference
 * accuracy predictor's input vector (`[resolution, *width, *depth, *kernel_size, *expand_ratio]`)
 * and the order `encodeArch` uses. The result is cached per space object, so treat it as frozen.
 */
export function archGenes(space: SearchSpace): readonly ArchGene[] {
  const cached = cache.get(space);
  if (cached) return cached;
  const genes: ArchGene[] = [
    { field: 'resolution', index: undefined, label: 'input', choices: space.resolutions },
  ];
  genes.push({ field: 'width', index: 0, label: 'first conv', choices: space.firstConv.widths });
  space.stages.forEach((stage, i) => {
    genes.push({ field: 'width', index: i + 1, label: stage.name, choices: stage.widths });
  });
  genes.push({
    field: 'width',
    index: space.stages.length + 1,
    label: 'last conv',
    choices: space.lastConv.widths,
  });
  const perStage: [ArchListField, (i: number) => readonly number[]][] = [
    ['depth', (i) => space.stages[i]!.depths],
    ['kernelSize', (i) => space.stages[i]!.kernelSizes],
    ['expandRatio', (i) => space.stages[i]!.expandRatios],
  ];
  for (const [field, choicesOf] of perStage) {
    space.stages.forEach((stage, i) => {
      genes.push({ field, index: i, label: stage.name, choices: choicesOf(i) });
    });
  }
  const frozen = Object.freeze(genes.map((gene) => Object.freeze(gene)));
  cache.set(space, frozen);
  return frozen;
}

/** The value of one gene in an arch. */
export function geneValue(arch: ArchConfig, gene: ArchGene): number {
  return gene.index === undefined
    ? arch.resolution
    : (arch[gene.field as ArchListField][gene.index] as number);
}

/** Builds an arch from one value per gene, in `archGenes` order. */
export function archFromGeneValues(space: SearchSpace, values: readonly number[]): ArchConfig {
  const width: number[] = [];
  const depth: number[] = [];
  const kernelSize: number[] = [];
  const expandRatio: number[] = [];
  const lists: Record<ArchListField, number[]> = { width, depth, kernelSize, expandRatio };
  const genes = archGenes(space);
  let resolution = 0;
  genes.forEach((gene, g) => {
    const value = values[g] as number;
    if (gene.index === undefined) resolution = value;
    else lists[gene.field as ArchListField][gene.index] = value;
  });
  return { resolution, width, depth, kernelSize, expandRatio };
}
