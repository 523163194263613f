import {
  type ArchConfig,
  archGenes,
  encodeArch,
  encodedLength,
  geneValue,
  type SearchSpace,
  validateArch,
} from '@supernas/search-space';
import { PredictorError } from './predictor-error.js';

/**
 * How a predictor turns an arch into numbers. Every encoder walks the genes in `archGenes` order:
 * resolution, width (first conv, each stage, last conv), depth, kernelSize, expandRatio (one per
 * stage each).
 *
 * - `reference`: the raw gene values, one number per gene. For `attentivenas` this is the
 *   AttentiveNAS accuracy predictor's input, `[resolution] + width (9) + depth (7) +
 *   kernel_size (7) + expand_ratio (7)` = 31 numbers, so the published forest reads it unchanged.
 * - `ordinal`: one number per gene, the position of the value among its choices scaled to
 *   [0, 1] (search-space's `index` encoding).
 * - `one-hot`: one block per gene with a 1 at the chosen position (search-space's `one-hot`).
 */
export type EncoderName = 'reference' | 'ordinal' | 'one-hot';

export const encoderNames: readonly EncoderName[] = Object.freeze([
  'reference',
  'ordinal',
  'one-hot',
]);

export interface ArchEncoder {
  readonly name: EncoderName;
  /** The name of the space the encoder was built for. */
  readonly spaceName: string;
  /** Numbers per arch. */
  readonly length: number;
  /** One label per number, e.g. `depth[mb3]` or `kernelSize[mb2]=5` (one-hot). */
  readonly featureNames: readonly string[];
  /** Validates the arch against the space and encodes it. */
  encode(arch: ArchConfig): number[];
}

function geneLabel(field: string, label: string): string {
  return field === 'resolution' ? 'resolution' : `${field}[${label}]`;
}

/** An encoder of `space`'s archs; see `EncoderName` for the layouts. */
export function createEncoder(space: SearchSpace, name: EncoderName): ArchEncoder {
  const genes = archGenes(space);
  switch (name) {
    case 'reference':
      return {
        name,
        spaceName: space.name,
        length: genes.length,
        featureNames: genes.map((gene) => geneLabel(gene.field, gene.label)),
        encode(arch) {
          validateArch(space, arch);
          return genes.map((gene) => geneValue(arch, gene));
        },
      };
    case 'ordinal':
      return {
        name,
        spaceName: space.name,
        length: encodedLength(space),
        featureNames: genes.map((gene) => geneLabel(gene.field, gene.label)),
        encode: (arch) => encodeArch(space, arch, { encoding: 'index' }),
      };
    case 'one-hot':
      return {
        name,
        spaceName: space.name,
        length: encodedLength(space, { encoding: 'one-hot' }),
        featureNames: genes.flatMap((gene) =>
          gene.choices.map((choice) => `${geneLabel(gene.field, gene.label)}=${choice}`),
        ),
        encode: (arch) => encodeArch(space, arch, { encoding: 'one-hot' }),
      };
    default:
      throw new PredictorError(
        `unknown encoder ${JSON.stringify(name)}, expected one of ${encoderNames.join(', ')}`,
        { code: 'unknown_encoder', value: name },
      );
  }
}

/**
 * The AttentiveNAS predictor's input: raw `[resolution, ...width, ...depth, ...kernelSize,
 * ...expandRatio]` (31 numbers for `attentivenas`).
 */
export function referenceEncoder(space: SearchSpace): ArchEncoder {
  return createEncoder(space, 'reference');
}
