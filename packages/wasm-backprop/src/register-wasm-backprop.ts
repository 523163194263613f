import * as tf from '@tensorflow/tfjs-core';
import { createBatchMatMul } from './batch-mat-mul.js';
import { createCast } from './cast.js';
import { comparisons, createCompare } from './compare.js';
import { createConv2dBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput } from './conv2d-backprop-input.js';
import { createDepthwiseConv2dBackpropFilter } from './depthwise-conv2d-backprop-filter.js';
import { createDepthwiseConv2dBackpropInput } from './depthwise-conv2d-backprop-input.js';
import { fusedBatchNorm } from './fused-batch-norm.js';
import { createIdentity } from './identity.js';
import { createReduceByAvgPool } from './reduce-by-avg-pool.js';
import { createTile } from './tile.js';

const backendName = 'wasm';

/** The kernels wasm lacks, which autograd through conv2d / depthwiseConv2d needs. */
const missingKernels: Record<string, (simd: boolean) => tf.KernelFunc> = {
  [tf.Conv2DBackpropFilter]: createConv2dBackpropFilter,
  [tf.DepthwiseConv2dNativeBackpropFilter]: createDepthwiseConv2dBackpropFilter,
  [tf.DepthwiseConv2dNativeBackpropInput]: createDepthwiseConv2dBackpropInput,
};

/**
 * Faster versions of kernels wasm has but that dominate a training step; built from the
 * built-in kernel, which they hand the cases they do not speed up.
 */
const fasterKernels: Record<string, (builtin: tf.KernelFunc) => tf.KernelFunc> = {
  [tf.BatchMatMul]: createBatchMatMul,
  [tf.Conv2DBackpropInput]: () => conv2dBackpropInput,
  [tf.FusedBatchNorm]: () => fusedBatchNorm,
  [tf.Tile]: createTile,
  [tf.Identity]: createIdentity,
  [tf.Cast]: createCast,
  [tf.Sum]: (builtin) => createReduceByAvgPool(builtin, false),
  [tf.Mean]: (builtin) => createReduceByAvgPool(builtin, true),
  ...Object.fromEntries(
    Object.entries(comparisons).map(([kernelName, compare]) => [
      kernelName,
      (builtin: tf.KernelFunc) => createCompare(builtin, compare),
    ]),
  ),
};

/** What we registered, by kernel name, and the built-in kernel each one replaced. */
const registered = new Map<string, { config: tf.KernelConfig; replaced?: tf.KernelConfig }>();

/** The options of the registration in force, if any. */
let applied: Required<RegisterWasmBackpropOptions> | undefined;

export interface RegisterWasmBackpropOptions {
  /**
   * Also replace the wasm kernels that dominate a training step (`BatchMatMul` with transposed
   * operands, `Conv2DBackpropInput`,
   * `FusedBatchNorm`, `Tile`, `Identity`, `Cast`, `Sum`, `Mean`, and the comparisons `Less`,
   * `LessEqual`, `Greater`, `GreaterEqual`, `Equal`, `NotEqual`) with faster ones. Default
   * true. Needs `@tensorflow/tfjs-backend-wasm` imported first (its kernels registered), since
   * each replacement hands the cases it does not speed up to the built-in kernel.
   */
  replaceSlowKernels?: boolean;
  /**
   * Compute the convolution gradients with this package's WebAssembly SIMD kernels, which work
   * on the wasm backend's heap in place, where the engine allows it (single-threaded build, SIMD
   * support); otherwise, or with false, compose them from built-in kernels. Default true.
   */
  simd?: boolean;
}

/**
 * Registers, for the `wasm` backend, the convolution gradient kernels that
 * `@tensorflow/tfjs-backend-wasm` 4.22 lacks (`Conv2DBackpropFilter`,
 * `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`), so `tf.grad`
 * through `conv2d` and `depthwiseConv2d` works on wasm, and by default faster versions of the
 * kernels that dominate a training step. A later call with the same options keeps the kernels
 * it registered (and only adds those it could not register before, such as built-ins imported
 * since); a later call with other options applies them, as `unregisterWasmBackprop` and a fresh
 * call would. It neither loads the wasm backend nor registers gradients: call it before
 * training, where the app picks its backend.
 */
export function registerWasmBackprop(options: RegisterWasmBackpropOptions = {}): void {
  const simd = options.simd ?? true;
  const replaceSlowKernels = options.replaceSlowKernels ?? true;
  if (
    applied !== undefined &&
    (applied.simd !== simd || applied.replaceSlowKernels !== replaceSlowKernels)
  ) {
    unregisterWasmBackprop();
  }
  applied = { simd, replaceSlowKernels };
  for (const [kernelName, createKernel] of Object.entries(missingKernels)) {
    if (registered.has(kernelName)) continue;
    // A kernel someone else registered (or a newer wasm backend's own) is kept.
    if (tf.getKernel(kernelName, backendName) !== undefined) continue;
    const config = { kernelName, backendName, kernelFunc: createKernel(simd) };
    tf.registerKernel(config);
    registered.set(kernelName, { config });
  }
  if (!replaceSlowKernels) return;
  for (const [kernelName, createKernel] of Object.entries(fasterKernels)) {
    if (registered.has(kernelName)) continue;
    const builtin = tf.getKernel(kernelName, backendName);
    if (builtin === undefined) continue;
    // The built-in kernel's setup (binding its wasm function) must still run when the backend
    // initializes after this call, since the replacement falls back to it.
    const config: tf.KernelConfig = {
      kernelName,
      backendName,
      kernelFunc: createKernel(builtin.kernelFunc),
      setupFunc: builtin.setupFunc,
      disposeFunc: builtin.disposeFunc,
    };
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(config);
    registered.set(kernelName, { config, replaced: builtin });
  }
}

/**
 * Removes what `registerWasmBackprop` registered and restores the built-in kernels it replaced
 * (for benchmarks that compare the two, and for tests).
 */
export function unregisterWasmBackprop(): void {
  applied = undefined;
  for (const [kernelName, { config, replaced }] of registered) {
    registered.delete(kernelName);
    if (tf.getKernel(kernelName, backendName) !== config) continue;
    tf.unregisterKernel(kernelName, backendName);
    if (replaced !== undefined) tf.registerKernel(replaced);
  }
}
