import type * as tf from '@tensorflow/tfjs-core';
import { share } from './identity.js';
import type { KernelArguments, WasmHeapBackend } from './wasm-heap.js';

/**
 * `Cast` for wasm. A cast to the same dtype (tfjs' avgPool, moments and mul cast float32 inputs
 * to float32) shares the data instead of copying it. A cast to bool is `x != 0`, as on the cpu
 * backend; wasm's built-in kernel copies with a typed-array `set`, which wraps instead (-3 becomes
 * 253, 0.5 becomes 0). Every other cast goes to the built-in kernel.
 */
export function createCast(builtin: tf.KernelFunc): tf.KernelFunc {
  return (args: KernelArguments) => {
    const { x } = args.inputs as tf.CastInputs;
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    const backend = args.backend as WasmHeapBackend;
    if (x!.dtype === dtype && dtype !== 'string') return share(backend, x!, x!.shape);
    if (dtype !== 'bool' || x!.dtype === 'string' || x!.dtype === 'complex64') return builtin(args);
    const out = backend.makeOutput([...x!.shape], dtype);
    // Views are taken after makeOutput, which may grow (and so detach) the heap.
    const source = backend.typedArrayFromHeap(x!);
    const target = backend.typedArrayFromHeap(out);
    for (let index = 0; index < source.length; index++) {
      target[index] = source[index] !== 0 ? 1 : 0;
    }
    return out;
  };
}
