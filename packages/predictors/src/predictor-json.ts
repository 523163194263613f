import { getSearchSpace, type SearchSpace } from '@supernas/search-space';
import { type ArchEncoder, createEncoder, type EncoderName, encoderNames } from './encoders.js';
import type { TreeArrays } from './forest/tree-arrays.js';
import { expectedMessage, PredictorError } from './predictor-error.js';

export const predictorFormat = 'supernas-predictor';
/** Bumped when a reader of an older version could misread a newer file. */
export const predictorFormatVersion = 1;

export type PredictorKind = 'random-forest' | 'gradient-boosting' | 'ridge' | 'mlp';

/** What every predictor file carries: the format, the space and the encoder it reads. */
export interface PredictorJsonHeader {
  readonly format: typeof predictorFormat;
  readonly formatVersion: number;
  readonly kind: PredictorKind;
  readonly space: string;
  readonly encoder: EncoderName;
  /** Numbers per encoded arch, a check against a space whose choices changed. */
  readonly featureCount: number;
}

/** Where the parameters came from, for the record (e.g. an imported scikit-learn forest). */
export interface PredictorSource {
  readonly kind: string;
  readonly [key: string]: unknown;
}

export interface RandomForestJson extends PredictorJsonHeader {
  readonly kind: 'random-forest';
  /** One tree per entry, as scikit-learn's `tree_` arrays; the prediction is their mean. */
  readonly trees: readonly TreeArrays[];
  readonly source?: PredictorSource;
}

/** Least-squares boosting: `init + learningRate * (sum of the trees' leaf values)`. */
export interface GradientBoostingJson extends PredictorJsonHeader {
  readonly kind: 'gradient-boosting';
  readonly init: number;
  readonly learningRate: number;
  readonly trees: readonly TreeArrays[];
}

export interface RidgeJson extends PredictorJsonHeader {
  readonly kind: 'ridge';
  readonly alpha: number;
  readonly weights: readonly number[];
  readonly intercept: number;
}

/** MLP weights in tfjs IO's layout: `weightSpecs` plus the float32 bytes, base64. */
export interface MlpJson extends PredictorJsonHeader {
  readonly kind: 'mlp';
  readonly hiddenLayers: readonly number[];
  /** Targets are standardised for training; predictions are mapped back with these. */
  readonly targetMean: number;
  readonly targetStd: number;
  readonly weightSpecs: readonly { name: string; shape: number[]; dtype: 'float32' }[];
  readonly weightData: string;
}

export type PredictorJson = RandomForestJson | GradientBoostingJson | RidgeJson | MlpJson;

export interface LoadPredictorOptions {
  /**
   * The space the caller will query. A predictor of another space is refused; without it the
   * space is the preset the file names.
   */
  readonly space?: SearchSpace;
}

/** Checks that a predictor of `spaceName` may be used over `space`. */
export function checkPredictorSpace(spaceName: string, space: SearchSpace): void {
  if (spaceName !== space.name) {
    throw new PredictorError(
      `the predictor was made for space '${spaceName}' and cannot score archs of space '${space.name}'`,
      { code: 'predictor_space_mismatch', value: spaceName },
    );
  }
}

/** Checks the common fields of a predictor file; returns the space and encoder it reads. */
export function readPredictorHeader(
  json: unknown,
  options: LoadPredictorOptions = {},
): { header: PredictorJsonHeader; space: SearchSpace; encoder: ArchEncoder } {
  const fail = (what: string, expected: string, value: unknown): never => {
    throw new PredictorError(`predictor file: ${expectedMessage(what, expected, value)}`, {
      code: 'invalid_predictor',
      value,
    });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    fail('the file', 'a JSON object', json);
  const record = json as Record<string, unknown>;
  if (record.format !== predictorFormat) fail('format', `'${predictorFormat}'`, record.format);
  if (record.formatVersion !== predictorFormatVersion) {
    fail(
      'formatVersion',
      `${predictorFormatVersion} (this reader's version)`,
      record.formatVersion,
    );
  }
  if (!['random-forest', 'gradient-boosting', 'ridge', 'mlp'].includes(record.kind as string))
    fail('kind', "'random-forest', 'gradient-boosting', 'ridge' or 'mlp'", record.kind);
  if (typeof record.space !== 'string') fail('space', 'a space name', record.space);
  if (!encoderNames.includes(record.encoder as EncoderName))
    fail('encoder', encoderNames.map((name) => `'${name}'`).join(', '), record.encoder);
  const spaceName = record.space as string;
  let space = options.space;
  if (space) checkPredictorSpace(spaceName, space);
  else space = getSearchSpace(spaceName);
  const encoder = createEncoder(space, record.encoder as EncoderName);
  if (record.featureCount !== encoder.length) {
    fail(
      'featureCount',
      `${encoder.length} (the ${encoder.name} encoding of space '${space.name}')`,
      record.featureCount,
    );
  }
  return { header: record as unknown as PredictorJsonHeader, space, encoder };
}

/** The header every predictor writes. */
export function predictorHeader<K extends PredictorKind>(
  kind: K,
  encoder: ArchEncoder,
): PredictorJsonHeader & { kind: K } {
  return {
    format: predictorFormat,
    formatVersion: predictorFormatVersion,
    kind,
    space: encoder.spaceName,
    encoder: encoder.name,
    featureCount: encoder.length,
  };
}
