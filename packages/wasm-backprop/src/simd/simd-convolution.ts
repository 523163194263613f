import type * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from '../wasm-heap.js';
import {
  convFilterGradientKernel,
  depthwiseFilterGradientKernel,
  depthwiseInputGradientKernel,
  pointwiseFilterGradientKernel,
} from './convolution-kernels.js';
import { encodeModule } from './wasm-module.js';

type KernelEntry = (...parameters: number[]) => void;

export interface SimdConvolution {
  depthwiseFilterGradient: KernelEntry;
  depthwiseInputGradient: KernelEntry;
  convFilterGradient: KernelEntry;
  pointwiseFilterGradient: KernelEntry;
}

let moduleBytes: Uint8Array<ArrayBuffer> | undefined;
const instances = new WeakMap<WebAssembly.Memory, SimdConvolution | null>();

/**
 * Our SIMD convolution kernels, instantiated on the wasm backend's own memory so they read and
 * write tensors in place, or null where that is impossible (no WebAssembly SIMD, a shared memory
 * from the threaded build, or a backend that does not expose its memory); callers then compose
 * the gradient from built-in kernels instead.
 */
export function simdConvolutionFor(backend: WasmHeapBackend): SimdConvolution | null {
  const memory = backend.wasm?.asm?.memory ?? backend.wasm?.wasmMemory;
  if (!(memory instanceof WebAssembly.Memory)) return null;
  const cached = instances.get(memory);
  if (cached !== undefined) return cached;
  let kernels: SimdConvolution | null = null;
  const isShared =
    typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  moduleBytes ??= encodeModule({
    depthwiseFilterGradient: depthwiseFilterGradientKernel(),
    depthwiseInputGradient: depthwiseInputGradientKernel(),
    convFilterGradient: convFilterGradientKernel(),
    pointwiseFilterGradient: pointwiseFilterGradientKernel(),
  });
  if (!isShared && WebAssembly.validate(moduleBytes)) {
    try {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes), {
        env: { memory },
      });
      kernels = instance.exports as unknown as SimdConvolution;
    } catch {
      // An engine that validates the module but refuses it here (a main-thread compile limit,
      // say) gets the composed kernels.
      kernels = null;
    }
  }
  instances.set(memory, kernels);
  return kernels;
}

/** Byte offset of a tensor's data in the heap. */
export function heapOffset(backend: WasmHeapBackend, info: tf.TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}
