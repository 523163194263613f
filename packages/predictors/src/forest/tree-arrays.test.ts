import { describe, expect, it } from 'vitest';
import { PredictorError } from '../predictor-error.js';
import { nextDown } from './next-down.js';
import { checkTrees, PackedForest, type TreeArrays } from './tree-arrays.js';

// x0 <= 0.3 ? (x1 <= 2 ? 10 : 20) : 30
const tree: TreeArrays = {
  left: [1, 2, -1, -1, -1],
  right: [4, 3, -1, -1, -1],
  feature: [0, 1, -2, -2, -2],
  threshold: [0.3, 2, -2, -2, -2],
  value: [0, 0, 10, 20, 30],
};
const stump: TreeArrays = {
  left: [1, -1, -1],
  right: [2, -1, -1],
  feature: [1, -2, -2],
  threshold: [0, -2, -2],
  value: [0, -1, 1],
};

describe('PackedForest', () => {
  it('walks each tree and averages the leaves', () => {
    const forest = new PackedForest([tree, stump], 2);
    expect(forest.predictRow([0.25, 1])).toBe((10 + 1) / 2);
    expect(forest.predictRow([0.25, 3])).toBe((20 + 1) / 2);
    expect(forest.predictRow([1, -5])).toBe((30 - 1) / 2);
  });

  it('compares float32-cast features with float64 thresholds, as scikit-learn', () => {
    const forest = new PackedForest([tree], 2);
    // float32(0.3) = 0.30000001192... > 0.3: scikit-learn sends 0.3 right of a 0.3 threshold.
    expect(forest.predictRow([0.3, 0])).toBe(30);
    expect(forest.predictRow([nextDown(0.3), 0])).toBe(30);
    expect(forest.predictRow([0.2999999, 0])).toBe(10);
  });
});

describe('nextDown', () => {
  it('is the float64 just below', () => {
    expect(nextDown(1)).toBe(1 - 2 ** -53);
    expect(nextDown(-1)).toBe(-1 - 2 ** -52);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
    expect(nextDown(4.5) < 4.5 && nextDown(4.5) > 4.499999999).toBe(true);
  });
});

describe('checkTrees', () => {
  it('accepts well-formed trees', () => {
    expect(() => checkTrees([tree, stump], 2)).not.toThrow();
  });

  it('refuses a child that points backwards (a cycle), a bad feature and ragged arrays', () => {
    const cyclic = { ...tree, left: [1, 0, -1, -1, -1] };
    expect(() => checkTrees([cyclic], 2)).toThrow(
      /trees\[0\] node 1 child must be a node index in \(1, 5\), got 0/,
    );
    expect(() => checkTrees([tree], 1)).toThrow(
      /node 1 feature must be an integer in \[0, 1\), got 1/,
    );
    expect(() => checkTrees([{ ...tree, value: [1] }], 2)).toThrow(PredictorError);
    expect(() => checkTrees([], 2)).toThrow(/trees must be a non-empty array/);
  });
});
