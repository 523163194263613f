import { expectedMessage, PredictorError } from '../predictor-error.js';

/**
 * One regression tree as parallel arrays, node 0 the root, in the layout of scikit-learn's
 * `tree_` (`children_left`, `children_right`, `feature`, `threshold`, `value`): node `i` is a
 * leaf when `left[i] === -1`, and otherwise a sample goes to `left[i]` when
 * `Math.fround(x[feature[i]]) <= threshold[i]` (scikit-learn casts features to float32 and keeps
 * thresholds in float64), else to `right[i]`. `value[i]` is the node's prediction (the leaf's
 * mean target). Children come after their parent, as in scikit-learn's depth-first order.
 */
export interface TreeArrays {
  readonly left: readonly number[];
  readonly right: readonly number[];
  readonly feature: readonly number[];
  readonly threshold: readonly number[];
  readonly value: readonly number[];
}

const fields = ['left', 'right', 'feature', 'threshold', 'value'] as const;

/** Throws `PredictorError` (`invalid_predictor`) unless every tree is well formed. */
export function checkTrees(trees: unknown, featureCount: number): asserts trees is TreeArrays[] {
  const fail = (what: string, expected: string, value: unknown): never => {
    throw new PredictorError(`forest: ${expectedMessage(what, expected, value)}`, {
      code: 'invalid_predictor',
      value,
    });
  };
  if (!Array.isArray(trees) || trees.length === 0) fail('trees', 'a non-empty array', trees);
  (trees as unknown[]).forEach((tree, t) => {
    if (typeof tree !== 'object' || tree === null) fail(`trees[${t}]`, 'an object', tree);
    const record = tree as Record<string, unknown>;
    const nodes = (record.left as unknown[] | undefined)?.length;
    for (const field of fields) {
      const array = record[field];
      if (!Array.isArray(array) || array.length !== nodes || array.length === 0)
        fail(`trees[${t}].${field}`, `an array of ${nodes ?? 'n > 0'} numbers`, array);
    }
    const { left, right, feature, threshold, value } = record as unknown as TreeArrays;
    for (let i = 0; i < left.length; i++) {
      const where = `trees[${t}] node ${i}`;
      const l = left[i] as number;
      const r = right[i] as number;
      if (l === -1 || r === -1) {
        if (l !== -1 || r !== -1)
          fail(`${where} children`, 'both -1 (a leaf) or both nodes', [l, r]);
        if (!Number.isFinite(value[i])) fail(`${where} value`, 'a finite number', value[i]);
        continue;
      }
      // Children after their parent: prediction always terminates.
      for (const child of [l, r]) {
        if (!(Number.isInteger(child) && child > i && child < left.length))
          fail(`${where} child`, `a node index in (${i}, ${left.length})`, child);
      }
      const f = feature[i] as number;
      if (!(Number.isInteger(f) && f >= 0 && f < featureCount))
        fail(`${where} feature`, `an integer in [0, ${featureCount})`, f);
      if (typeof threshold[i] !== 'number' || Number.isNaN(threshold[i]))
        fail(`${where} threshold`, 'a number', threshold[i]);
    }
  });
}

/**
 * Trees packed into typed arrays for a fast predict (a search queries a forest thousands of
 * times): one flat array per field, children as absolute indices, `-1` marking leaves.
 */
export class PackedForest {
  readonly treeCount: number;
  readonly featureCount: number;
  private readonly roots: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float64Array;
  private readonly value: Float64Array;
  private readonly row: Float32Array;

  constructor(trees: readonly TreeArrays[], featureCount: number) {
    checkTrees(trees, featureCount);
    const total = trees.reduce((sum, tree) => sum + tree.left.length, 0);
    this.treeCount = trees.length;
    this.featureCount = featureCount;
    this.roots = new Int32Array(trees.length);
    this.left = new Int32Array(total);
    this.right = new Int32Array(total);
    this.feature = new Int32Array(total);
    this.threshold = new Float64Array(total);
    this.value = new Float64Array(total);
    this.row = new Float32Array(featureCount);
    let offset = 0;
    trees.forEach((tree, t) => {
      this.roots[t] = offset;
      for (let i = 0; i < tree.left.length; i++) {
        const leaf = tree.left[i] === -1;
        this.left[offset + i] = leaf ? -1 : offset + (tree.left[i] as number);
        this.right[offset + i] = leaf ? -1 : offset + (tree.right[i] as number);
        this.feature[offset + i] = leaf ? 0 : (tree.feature[i] as number);
        this.threshold[offset + i] = tree.threshold[i] as number;
        this.value[offset + i] = tree.value[i] as number;
      }
      offset += tree.left.length;
    });
  }

  /**
   * The mean of the trees' leaf values for one encoded arch, summed in tree order in float64
   * and divided once, as scikit-learn's `RandomForestRegressor.predict`.
   */
  predictRow(features: ArrayLike<number>): number {
    return this.sumRow(features) / this.treeCount;
  }

  /** The sum of the trees' leaf values, in tree order (gradient boosting adds, forests average). */
  sumRow(features: ArrayLike<number>): number {
    const row = this.row;
    // Float32Array assignment is the float32 cast scikit-learn applies to its input.
    for (let f = 0; f < this.featureCount; f++) row[f] = features[f] as number;
    const { left, right, feature, threshold, value } = this;
    let sum = 0;
    for (let t = 0; t < this.treeCount; t++) {
      let node = this.roots[t] as number;
      while (left[node] !== -1) {
        node =
          (row[feature[node] as number] as number) <= (threshold[node] as number)
            ? (left[node] as number)
            : (right[node] as number);
      }
      sum += value[node] as number;
    }
    return sum;
  }
}
