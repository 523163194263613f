import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import {
  type RegisterWasmBackpropOptions,
  registerWasmBackprop,
  unregisterWasmBackprop,
} from '../register-wasm-backprop.js';

/**
 * Registers tfjs' gradients (the `@tensorflow/tfjs` bundle does, into the shared registry) and
 * this package's kernels with `options`, replacing whatever an earlier call registered.
 */
export async function setUpBackends(options: RegisterWasmBackpropOptions = {}): Promise<void> {
  if (tf.getGradient(tf.Conv2D) === undefined) await import('@tensorflow/tfjs');
  unregisterWasmBackprop();
  registerWasmBackprop(options);
}

/** Both ways of computing the convolution gradients. */
export const kernelPaths = [
  { name: 'simd kernels', options: { simd: true } },
  { name: 'composed kernels', options: { simd: false } },
] as const;
