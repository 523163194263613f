import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Identity` for wasm that shares the input's data (one more reference) instead of copying it,
 * as the cpu backend does. tfjs runs Identity for every tensor it saves for the backward pass,
 * so wasm's copying kernel adds a full copy of most activations to each training step. Tensor
 * data is immutable (variables swap data rather than write to it), so sharing is safe; wasm's
 * own Reshape shares data the same way.
 */
export function createIdentity(builtin: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x } = args.inputs as tf.IdentityInputs;
    if (x!.dtype === 'string') return builtin(args);
    return share(args.backend as WasmHeapBackend, x!, x!.shape);
  };
}

/** A TensorInfo for `info`'s data under `shape`, holding one more reference to it. */
export function share(
  backend: WasmHeapBackend,
  info: tf.TensorInfo,
  shape: readonly number[],
): tf.TensorInfo {
  backend.incRef(info.dataId);
  return { dataId: info.dataId, shape: [...shape], dtype: info.dtype };
}
