import { type ArchConfig, createRng, type SearchSpace } from '@supernas/search-space';
import { checkFitted, encodeTrainingData } from '../check-training-data.js';
import { type ArchEncoder, createEncoder, type EncoderName } from '../encoders.js';
import type { Predictor } from '../predictor.js';
import { expectedMessage, PredictorError } from '../predictor-error.js';
import { type GradientBoostingJson, predictorHeader } from '../predictor-json.js';
import { type CartNode, cartToTree } from './ml-cart-to-tree.js';
import { PackedForest, type TreeArrays } from './tree-arrays.js';

export interface GradientBoostingOptions {
  readonly space: SearchSpace;
  /** Default `reference` (raw gene values). */
  readonly encoder?: EncoderName;
  /** Boosting rounds (trees); default 100. */
  readonly trees?: number;
  /** Depth of each tree; default 3. */
  readonly maxDepth?: number;
  /** Shrinkage of each tree's contribution; default 0.1. */
  readonly learningRate?: number;
  /** Share of the archs each tree is fitted on, drawn without replacement; default 1 (all). */
  readonly subsample?: number;
  /** Seeds the subsamples. */
  readonly seed?: number;
}

/**
 * Least-squares gradient boosting: starting from the mean accuracy, each round fits a shallow
 * regression tree (`ml-cart`) to the current residuals and adds `learningRate` times it. The
 * trees are kept in our `TreeArrays` format and predicted with the packed walk of the forest.
 */
export class GradientBoostingPredictor implements Predictor {
  readonly kind = 'gradient-boosting';
  readonly spaceName: string;
  readonly encoder: ArchEncoder;
  readonly options: Required<Omit<GradientBoostingOptions, 'space' | 'encoder'>>;
  private packed: PackedForest | undefined;
  private trees: readonly TreeArrays[] = [];
  private init = 0;

  constructor(options: GradientBoostingOptions) {
    this.encoder = createEncoder(options.space, options.encoder ?? 'reference');
    this.spaceName = options.space.name;
    this.options = {
      trees: options.trees ?? 100,
      maxDepth: options.maxDepth ?? 3,
      learningRate: options.learningRate ?? 0.1,
      subsample: options.subsample ?? 1,
      seed: options.seed ?? 0,
    };
    const { trees, maxDepth, learningRate, subsample } = this.options;
    const bad: [string, unknown, string] | undefined = !(Number.isInteger(trees) && trees >= 1)
      ? ['trees', trees, 'a positive integer']
      : !(Number.isInteger(maxDepth) && maxDepth >= 1)
        ? ['maxDepth', maxDepth, 'a positive integer']
        : !(learningRate > 0 && learningRate <= 1)
          ? ['learningRate', learningRate, 'a number in (0, 1]']
          : !(subsample > 0 && subsample <= 1)
            ? ['subsample', subsample, 'a number in (0, 1]']
            : undefined;
    if (bad) {
      throw new PredictorError(`gradientBoosting: ${expectedMessage(bad[0], bad[2], bad[1])}`, {
        code: 'invalid_predictor_options',
        value: bad[1],
      });
    }
  }

  get fitted(): boolean {
    return this.packed !== undefined;
  }

  async fit(archs: readonly ArchConfig[], accuracies: readonly number[]): Promise<void> {
    const rows = encodeTrainingData('gradientBoosting.fit', this.encoder, archs, accuracies).map(
      (row) => row.map(Math.fround),
    );
    // Loaded on first fit: loading and predicting never pull the fitting library into a bundle.
    const { DecisionTreeRegression } = await import('ml-cart');
    const { trees: rounds, maxDepth, learningRate, subsample, seed } = this.options;
    const rng = createRng(seed);
    const init = accuracies.reduce((sum, value) => sum + value, 0) / accuracies.length;
    const current = accuracies.map(() => init);
    const size = Math.max(2, Math.round(subsample * rows.length));
    const trees: TreeArrays[] = [];
    const columns = rows[0]!.map((_, f) => f);
    for (let round = 0; round < rounds; round++) {
      let picked = rows.map((_, i) => i);
      if (size < rows.length) {
        for (let i = picked.length - 1; i > 0; i--) {
          const j = rng.int(i + 1);
          [picked[i], picked[j]] = [picked[j]!, picked[i]!];
        }
        picked = picked.slice(0, size);
      }
      const cart = new DecisionTreeRegression({ maxDepth, minNumSamples: 1 });
      cart.train(
        picked.map((i) => rows[i]!),
        picked.map((i) => accuracies[i]! - current[i]!),
      );
      const tree = cartToTree(cart.root as CartNode, columns);
      trees.push(tree);
      const packed = new PackedForest([tree], columns.length);
      rows.forEach((row, i) => {
        current[i]! += learningRate * packed.sumRow(row);
      });
    }
    this.setTrees(init, trees);
  }

  /** Replaces the model (used by loading). */
  setTrees(init: number, trees: readonly TreeArrays[]): void {
    if (!Number.isFinite(init)) {
      throw new PredictorError(
        `gradientBoosting: ${expectedMessage('init', 'a finite number', init)}`,
        {
          code: 'invalid_predictor',
          value: init,
        },
      );
    }
    this.packed = new PackedForest(trees, this.encoder.length);
    this.trees = trees;
    this.init = init;
  }

  predict(archs: readonly ArchConfig[]): number[] {
    checkFitted(this.kind, this.fitted);
    const packed = this.packed as PackedForest;
    return archs.map(
      (arch) => this.init + this.options.learningRate * packed.sumRow(this.encoder.encode(arch)),
    );
  }

  toJSON(): GradientBoostingJson {
    checkFitted(this.kind, this.fitted);
    return {
      ...predictorHeader('gradient-boosting', this.encoder),
      init: this.init,
      learningRate: this.options.learningRate,
      trees: this.trees,
    };
  }
}

/** A gradient-boosted trees predictor over `options.space`; see `GradientBoostingPredictor`. */
export function gradientBoosting(options: GradientBoostingOptions): GradientBoostingPredictor {
  return new GradientBoostingPredictor(options);
}
