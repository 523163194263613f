import * as tf from '@tensorflow/tfjs-core';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/** Swaps the last two axes of a rank-3 `BatchMatMul` operand with wasm's own Transpose kernel. */
function transposeLastTwo(info: tf.TensorInfo, args: KernelArguments): tf.TensorInfo {
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (transpose === undefined)
    throw new Error("BatchMatMul: the wasm backend has no 'Transpose' kernel");
  const rank = info.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1]!, perm[rank - 2]!];
  return transpose.kernelFunc({
    inputs: { x: info },
    attrs: { perm },
    backend: args.backend,
  }) as tf.TensorInfo;
}

/**
 * `BatchMatMul` for wasm with transposed operands made explicit. XNNPACK's matmul reads a
 * transposed operand with a strided inner loop: on the weight gradients of 1x1 convolutions
 * (`x^T * dy`) the built-in kernel was 5-20x slower than transposing first and multiplying plain
 * (e.g. 162 ms against 19 ms). Untransposed products go to the built-in kernel as they are.
 */
export function createBatchMatMul(builtin: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { a, b } = args.inputs as tf.BatchMatMulInputs;
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (!transposeA && !transposeB) return builtin(args);
    const backend = args.backend as WasmHeapBackend;
    const plainA = transposeA ? transposeLastTwo(a!, args) : a!;
    const plainB = transposeB ? transposeLastTwo(b!, args) : b!;
    try {
      return builtin({
        ...args,
        inputs: { a: plainA, b: plainB },
        attrs: {
          ...(args.attrs as object),
          transposeA: false,
          transposeB: false,
        } as unknown as tf.NamedAttrMap,
      });
    } finally {
      if (plainA !== a) backend.disposeData(plainA.dataId);
      if (plainB !== b) backend.disposeData(plainB.dataId);
    }
  };
}
