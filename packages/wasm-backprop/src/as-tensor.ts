import * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * Kernels receive TensorInfos. Ops pass their Tensors through unchanged; anything else gets a
 * Tensor on the same data holding its own reference, tracked by the caller's tidy and released
 * with it.
 */
export function asTensor<R extends tf.Rank>(
  info: tf.TensorInfo,
  backend: WasmHeapBackend,
): tf.Tensor<R> {
  if ('rank' in info) return info as tf.Tensor<R>;
  backend.incRef(info.dataId);
  return tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>;
}
