import { SupernasError } from '@supernas/errors';
import { archFromGeneValues, archGenes, geneValue } from './arch-genes.js';
import type { ArchConfig, SearchSpace } from './types.js';
import { validateArch } from './validate-arch.js';

/**
 * How an arch becomes a feature vector. Genes always come in `archGenes` order: resolution,
 * width (first conv, each stage, last conv), depth, kernelSize, expandRatio (each per stage).
 *
 * - `index`: one number per gene, the position of its value among the gene's choices scaled
 *   to [0, 1] (`i / (choices - 1)`; 0 where a gene has one choice). Length `4 * stages + 3`
 *   (31 for `attentivenas`). Ordinal, so "bigger" stays bigger: good for predictors.
 * - `one-hot`: for each gene, a block of `choices.length` entries with a single 1. Length is
 *   the total number of choices (81 for `attentivenas`).
 */
export type ArchEncoding = 'index' | 'one-hot';

export interface EncodeArchOptions {
  readonly encoding?: ArchEncoding;
}

/** A vector that `decodeArch` cannot read for this space. Code `arch_encoding`. */
export class ArchEncodingError extends SupernasError {
  override readonly name = 'ArchEncodingError';
  readonly value: readonly number[];
  readonly expectedLength: number;

  constructor(message: string, value: readonly number[], expectedLength: number) {
    super(message, { code: 'arch_encoding' });
    this.value = value;
    this.expectedLength = expectedLength;
  }
}

/** Length of the vectors `encodeArch` makes for `space`. */
export function encodedLength(space: SearchSpace, options: EncodeArchOptions = {}): number {
  const genes = archGenes(space);
  return options.encoding === 'one-hot'
    ? genes.reduce((total, gene) => total + gene.choices.length, 0)
    : genes.length;
}

/** Encodes a (validated) arch as numbers; see `ArchEncoding` for the layout. */
export function encodeArch(
  space: SearchSpace,
  arch: ArchConfig,
  options: EncodeArchOptions = {},
): number[] {
  validateArch(space, arch);
  const vector: number[] = [];
  for (const gene of archGenes(space)) {
    const position = gene.choices.indexOf(geneValue(arch, gene));
    if (options.encoding === 'one-hot') {
      for (let i = 0; i < gene.choices.length; i++) vector.push(i === position ? 1 : 0);
    } else {
      vector.push(gene.choices.length === 1 ? 0 : position / (gene.choices.length - 1));
    }
  }
  return vector;
}

/**
 * The inverse of `encodeArch`. Tolerates noise (a predictor's or optimiser's output): `index`
 * entries round to the nearest choice and clamp to [0, 1]; `one-hot` blocks take their largest
 * entry (the first, on ties).
 */
export function decodeArch(
  space: SearchSpace,
  vector: readonly number[],
  options: EncodeArchOptions = {},
): ArchConfig {
  const expectedLength = encodedLength(space, options);
  const encoding = options.encoding ?? 'index';
  if (vector.length !== expectedLength) {
    throw new ArchEncodingError(
      `decodeArch: expected ${expectedLength} entries (${encoding} encoding of space ${space.name}), got ${vector.length}`,
      vector,
      expectedLength,
    );
  }
  const bad = vector.findIndex((entry) => !Number.isFinite(entry));
  if (bad >= 0) {
    throw new ArchEncodingError(
      `decodeArch: entry ${bad} is ${vector[bad]}, expected a finite number`,
      vector,
      expectedLength,
    );
  }
  let offset = 0;
  const values = archGenes(space).map((gene) => {
    const count = gene.choices.length;
    let position = 0;
    if (encoding === 'one-hot') {
      for (let i = 1; i < count; i++) {
        if ((vector[offset + i] as number) > (vector[offset + position] as number)) position = i;
      }
      offset += count;
    } else {
      const scaled = Math.min(1, Math.max(0, vector[offset] as number)) * (count - 1);
      position = Math.round(scaled);
      offset += 1;
    }
    return gene.choices[position] as number;
  });
  return archFromGeneValues(space, values);
}
