import type { ArchConfig } from '@supernas/search-space';
import type { ArchEncoder } from './encoders.js';
import type { PredictorJson } from './predictor-json.js';

/** Every accuracy predictor: trained on (arch, accuracy) pairs, then queried in batches. */
export interface Predictor {
  /** `random-forest`, `ridge` or `mlp`. */
  readonly kind: string;
  /** The space whose archs it reads; a search over another space must refuse it. */
  readonly spaceName: string;
  readonly encoder: ArchEncoder;
  /** False until `fit` (or loading) has given it parameters. */
  readonly fitted: boolean;
  /** Learns from `archs[i]` reaching `accuracies[i]`; replaces anything learnt before. */
  fit(archs: readonly ArchConfig[], accuracies: readonly number[]): Promise<void>;
  /** Predicted accuracy of each arch, in the units it was trained on (e.g. top-1 in percent). */
  predict(archs: readonly ArchConfig[]): number[];
  /** A JSON-serialisable description that `loadPredictor` turns back into this predictor. */
  toJSON(): PredictorJson;
}
