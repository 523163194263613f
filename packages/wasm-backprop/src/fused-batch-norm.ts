import * as tf from '@tensorflow/tfjs-core';
import { asTensor } from './as-tensor.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `FusedBatchNorm` (inference and training forward) for wasm as three broadcasting XNNPACK
 * passes, `(x - mean) * (scale / sqrt(variance + epsilon)) + offset`, with the per-channel
 * factor computed on the small tensors; the built-in kernel is a scalar loop several times slower.
 */
export function fusedBatchNorm(args: KernelArguments): tf.TensorInfo {
  const { x, mean, variance, offset, scale } = args.inputs as tf.FusedBatchNormInputs;
  const { varianceEpsilon } = args.attrs as unknown as tf.FusedBatchNormAttrs;
  const backend = args.backend as WasmHeapBackend;
  return tf.tidy(() => {
    let factor = tf.rsqrt(tf.add(asTensor(variance!, backend), tf.scalar(varianceEpsilon)));
    if (scale != null) factor = tf.mul(factor, asTensor(scale, backend));
    const normalized = tf.mul(tf.sub(asTensor(x!, backend), asTensor(mean!, backend)), factor);
    return offset == null ? normalized : tf.add(normalized, asTensor(offset, backend));
  });
}
