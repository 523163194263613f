import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Sum` and `Mean` for wasm. The built-in kernels first transpose the reduced axes innermost,
 * which for the batch-norm reductions over N, H, W of an NHWC tensor costs an order of magnitude
 * more than the reduction itself. A float32 reduction over a contiguous block of axes followed
 * by at least one kept axis is instead one XNNPACK average pool over a
 * `[outer, rows, columns, inner]` view, whose window is the whole `rows x columns` block (a sum
 * is that mean times the count). Everything else goes to the built-in kernel.
 */
export function createReduceByAvgPool(builtin: tf.KernelFunc, isMean: boolean): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x } = args.inputs as tf.SumInputs;
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const plan = planReduction(x!.shape, axis, x!.dtype);
    if (plan === null) return builtin(args);
    return tf.tidy(() => {
      const view = tf.reshape<tf.Rank.R4>(asTensor(x!, args.backend as WasmHeapBackend), [
        plan.outer,
        plan.rows,
        plan.columns,
        plan.inner,
      ]);
      let reduced: tf.Tensor = tf.avgPool(view, [plan.rows, plan.columns], 1, 'valid');
      if (!isMean) reduced = tf.mul(reduced, tf.scalar(plan.rows * plan.columns));
      const outShape = keepDims
        ? x!.shape.map((size, index) => (plan.axes.includes(index) ? 1 : size))
        : x!.shape.filter((_, index) => !plan.axes.includes(index));
      return tf.reshape(reduced, outShape);
    });
  };
}

/** A reduction seen as an average pool: `[outer, rows, columns, inner]`, pooled over rows and columns. */
export interface ReductionPlan {
  axes: number[];
  outer: number;
  rows: number;
  columns: number;
  inner: number;
}

/**
 * The pooling view of a reduction, or null where the built-in kernel is as good or the only
 * option: non-float32 or empty tensors, no axes, a block that ends the shape (no transpose
 * needed), axes with gaps between them, or a single element to reduce.
 */
export function planReduction(
  shape: readonly number[],
  axis: number | number[],
  dtype: tf.DataType,
): ReductionPlan | null {
  if (dtype !== 'float32' || shape.length === 0) return null;
  const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  if (axes.length === 0) return null;
  const first = axes[0]!;
  const last = axes[axes.length - 1]!;
  if (last - first + 1 !== axes.length || last === shape.length - 1) return null;
  const product = (from: number, to: number) =>
    shape.slice(from, to).reduce((total, size) => total * size, 1);
  const plan = {
    axes,
    outer: product(0, first),
    rows: product(first, last),
    columns: shape[last]!,
    inner: product(last + 1, shape.length),
  };
  const size = plan.outer * plan.rows * plan.columns * plan.inner;
  return size === 0 || plan.rows * plan.columns === 1 ? null : plan;
}
