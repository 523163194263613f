import { nextDown } from './next-down.js';
import type { TreeArrays } from './tree-arrays.js';

/** The fields of an `ml-cart` node we read (its `TreeNode`, after training). */
export interface CartNode {
  readonly left?: CartNode;
  readonly right?: CartNode;
  readonly splitColumn?: number;
  readonly splitValue?: number;
  readonly distribution?: unknown;
}

/**
 * Converts a trained `ml-cart` regression tree into our arrays, depth first (children after
 * parents). ml-cart sends a row left when `x[column] < splitValue`; we store the next float64
 * below the split value so our `x <= threshold` takes the same branch for every x. `columns`
 * maps the tree's columns back to the full feature vector (ml-random-forest trains each tree on a
 * column subset).
 */
export function cartToTree(root: CartNode, columns: readonly number[]): TreeArrays {
  const left: number[] = [];
  const right: number[] = [];
  const feature: number[] = [];
  const threshold: number[] = [];
  const value: number[] = [];
  const visit = (node: CartNode): number => {
    const index = left.length;
    left.push(-1);
    right.push(-1);
    if (node.left && node.right) {
      feature.push(columns[node.splitColumn as number] as number);
      threshold.push(nextDown(node.splitValue as number));
      value.push(Number.NaN);
      const leftIndex = visit(node.left);
      const rightIndex = visit(node.right);
      left[index] = leftIndex;
      right[index] = rightIndex;
    } else {
      feature.push(-2);
      threshold.push(-2);
      value.push(Number(node.distribution));
    }
    return index;
  };
  visit(root);
  // Internal nodes carry no prediction of their own in ml-cart; keep the field numeric.
  for (let i = 0; i < value.length; i++) if (Number.isNaN(value[i])) value[i] = 0;
  return { left, right, feature, threshold, value };
}
