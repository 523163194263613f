import type { ArchConfig, SearchSpace } from '@supernas/search-space';
import { checkFitted, encodeTrainingData } from '../check-training-data.js';
import { type ArchEncoder, createEncoder, type EncoderName } from '../encoders.js';
import type { Predictor } from '../predictor.js';
import { expectedMessage, PredictorError } from '../predictor-error.js';
import { type PredictorSource, predictorHeader, type RandomForestJson } from '../predictor-json.js';
import { type CartNode, cartToTree } from './ml-cart-to-tree.js';
import { PackedForest, type TreeArrays } from './tree-arrays.js';

export interface RandomForestOptions {
  readonly space: SearchSpace;
  /** Default `reference` (raw gene values), the reference predictor's input. */
  readonly encoder?: EncoderName;
  /** Trees; the reference used 100. */
  readonly trees?: number;
  /** Deepest leaf (root at depth 0); the reference used 15. */
  readonly maxDepth?: number;
  /** A node with fewer samples becomes a leaf (scikit-learn's `min_samples_split`, default 2). */
  readonly minSamplesSplit?: number;
  /** Seeds the bootstrap samples (a 32-bit integer). */
  readonly seed?: number;
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new PredictorError(
      `randomForest: ${expectedMessage(name, 'a positive integer', value)}`,
      {
        code: 'invalid_predictor_options',
        value,
      },
    );
  }
  return value;
}

/**
 * A random-forest regressor on encoded archs (bootstrap samples, every feature at every split,
 * as scikit-learn's `RandomForestRegressor` defaults). Fitting uses `ml-random-forest` /
 * `ml-cart`; the fitted trees are kept in our array format (`TreeArrays`), the same format an
 * imported scikit-learn forest has, and predicted with a packed, allocation-free loop.
 */
export class RandomForestPredictor implements Predictor {
  readonly kind = 'random-forest';
  readonly spaceName: string;
  readonly encoder: ArchEncoder;
  readonly options: Required<Omit<RandomForestOptions, 'space' | 'encoder'>>;
  private forest: PackedForest | undefined;
  private trees: readonly TreeArrays[] = [];
  private source: PredictorSource | undefined;

  constructor(options: RandomForestOptions) {
    this.encoder = createEncoder(options.space, options.encoder ?? 'reference');
    this.spaceName = options.space.name;
    const seed = options.seed ?? 0;
    if (!(Number.isInteger(seed) && seed >= -(2 ** 31) && seed < 2 ** 32)) {
      throw new PredictorError(
        `randomForest: ${expectedMessage('seed', 'a 32-bit integer', seed)}`,
        {
          code: 'invalid_predictor_options',
          value: seed,
        },
      );
    }
    this.options = {
      trees: positiveInteger('trees', options.trees ?? 100),
      maxDepth: positiveInteger('maxDepth', options.maxDepth ?? 15),
      minSamplesSplit: positiveInteger('minSamplesSplit', options.minSamplesSplit ?? 2),
      seed,
    };
  }

  get fitted(): boolean {
    return this.forest !== undefined;
  }

  /** Number of trees and nodes, for logs. */
  get size(): { trees: number; nodes: number } {
    return {
      trees: this.trees.length,
      nodes: this.trees.reduce((sum, tree) => sum + tree.left.length, 0),
    };
  }

  async fit(archs: readonly ArchConfig[], accuracies: readonly number[]): Promise<void> {
    // float32 features, as scikit-learn trains on: split points then sit between float32 values.
    const rows = encodeTrainingData('randomForest.fit', this.encoder, archs, accuracies).map(
      (row) => row.map(Math.fround),
    );
    // Loaded on first fit: loading and predicting never pull the fitting library into a bundle.
    const { RandomForestRegression } = await import('ml-random-forest');
    const regression = new RandomForestRegression({
      nEstimators: this.options.trees,
      maxFeatures: this.encoder.length,
      replacement: false,
      seed: this.options.seed,
      useSampleBagging: true,
      noOOB: true,
      treeOptions: {
        maxDepth: this.options.maxDepth,
        minNumSamples: this.options.minSamplesSplit - 1,
      },
    });
    regression.train(rows, [...accuracies]);
    const internals = regression as unknown as {
      estimators: { root: CartNode }[];
      indexes: number[][];
    };
    this.setTrees(
      internals.estimators.map((estimator, t) =>
        cartToTree(estimator.root, internals.indexes[t] as number[]),
      ),
      { kind: 'ml-random-forest', trainingArchs: archs.length, ...this.options },
    );
  }

  /** Replaces the trees (used by loading and by the scikit-learn import). */
  setTrees(trees: readonly TreeArrays[], source?: PredictorSource): void {
    this.forest = new PackedForest(trees, this.encoder.length);
    this.trees = trees;
    this.source = source;
  }

  predict(archs: readonly ArchConfig[]): number[] {
    checkFitted(this.kind, this.fitted);
    const forest = this.forest as PackedForest;
    return archs.map((arch) => forest.predictRow(this.encoder.encode(arch)));
  }

  /** Predictions for already encoded rows (for checks against another implementation). */
  predictEncoded(rows: readonly (readonly number[])[]): number[] {
    checkFitted(this.kind, this.fitted);
    const forest = this.forest as PackedForest;
    return rows.map((row, i) => {
      if (row.length !== forest.featureCount) {
        throw new PredictorError(
          `randomForest: ${expectedMessage(`row ${i}`, `${forest.featureCount} numbers`, row.length)}`,
          { code: 'invalid_predictor_input', value: row },
        );
      }
      return forest.predictRow(row);
    });
  }

  toJSON(): RandomForestJson {
    checkFitted(this.kind, this.fitted);
    return {
      ...predictorHeader('random-forest', this.encoder),
      trees: this.trees,
      ...(this.source ? { source: this.source } : {}),
    };
  }
}

/** A random forest over `options.space`; see `RandomForestPredictor`. */
export function randomForest(options: RandomForestOptions): RandomForestPredictor {
  return new RandomForestPredictor(options);
}
