import { type ArchConfig, normalizeArch } from '@supernas/search-space';

export interface PublishedModel {
  readonly name: string;
  readonly arch: ArchConfig;
  /** MFLOPs by `countFlops` at 1000 classes (the reference convention). */
  readonly mflops: number;
  /**
   * Top-1 (%) the reference `acc_predictor.joblib` predicts, as published (2 decimals, rounded
   * through 3: A4's exact 70.8048 is listed as 70.81).
   */
  readonly predictedAccuracy: number;
}

const raw = [
  [
    'A0',
    192,
    [16, 16, 24, 32, 64, 112, 192, 216, 1792],
    [3, 3, 3, 3, 3, 3, 3],
    [1, 4, 4, 4, 4, 6, 6],
    [1, 3, 3, 3, 3, 3, 1],
    203.39,
    67.49,
  ],
  [
    'A1',
    224,
    [16, 16, 24, 32, 64, 112, 192, 216, 1984],
    [3, 3, 3, 5, 3, 5, 3],
    [1, 4, 4, 4, 4, 6, 6],
    [1, 3, 3, 3, 3, 3, 1],
    279.24,
    69.57,
  ],
  [
    'A2',
    224,
    [16, 16, 24, 32, 64, 112, 200, 224, 1984],
    [3, 3, 3, 3, 3, 5, 3],
    [1, 4, 5, 4, 4, 6, 6],
    [1, 3, 3, 3, 3, 4, 1],
    316.73,
    69.62,
  ],
  [
    'A3',
    224,
    [16, 16, 24, 32, 64, 112, 208, 224, 1984],
    [3, 3, 3, 5, 3, 3, 3],
    [1, 4, 4, 4, 4, 6, 6],
    [2, 3, 3, 4, 3, 5, 1],
    356.52,
    69.77,
  ],
  [
    'A4',
    256,
    [16, 16, 24, 32, 64, 112, 192, 216, 1984],
    [3, 3, 3, 5, 3, 5, 3],
    [1, 4, 4, 5, 4, 6, 6],
    [1, 3, 3, 4, 3, 5, 1],
    443.53,
    70.81,
  ],
  [
    'A5',
    256,
    [16, 16, 24, 32, 72, 112, 192, 216, 1792],
    [3, 3, 3, 5, 3, 3, 3],
    [1, 4, 5, 4, 4, 6, 6],
    [1, 3, 3, 3, 4, 6, 1],
    490.52,
    70.99,
  ],
  [
    'A6',
    288,
    [16, 16, 24, 32, 64, 112, 216, 224, 1984],
    [3, 3, 3, 3, 3, 5, 3],
    [1, 4, 6, 5, 4, 6, 6],
    [1, 3, 3, 4, 4, 6, 1],
    709.01,
    71.62,
  ],
] as const;

/**
 * AttentiveNAS-A0..A6 (`configs/eval_attentive_nas_models.yml` of the reference repo) in the
 * `attentivenas` space, with their MFLOPs and the reference predictor's published predictions:
 * the yardstick for imported predictors and for searches.
 */
export const publishedAttentivenasModels: readonly PublishedModel[] = raw.map(
  ([name, resolution, width, kernelSize, expandRatio, depth, mflops, predictedAccuracy]) => ({
    name,
    arch: normalizeArch({ resolution, width, kernelSize, expandRatio, depth }),
    mflops,
    predictedAccuracy,
  }),
);
