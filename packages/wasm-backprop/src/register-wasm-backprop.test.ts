import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerWasmBackprop, unregisterWasmBackprop } from './register-wasm-backprop.js';
import { useBackend } from './test-utils/backend-gradients.js';

const missing = [
  tf.Conv2DBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropFilter,
  tf.DepthwiseConv2dNativeBackpropInput,
];
const replaced = [
  tf.Conv2DBackpropInput,
  tf.FusedBatchNorm,
  tf.Tile,
  tf.Identity,
  tf.Cast,
  tf.Sum,
  tf.Mean,
  tf.Less,
  tf.LessEqual,
  tf.Greater,
  tf.GreaterEqual,
  tf.Equal,
  tf.NotEqual,
];

describe('registerWasmBackprop', () => {
  afterEach(() => {
    unregisterWasmBackprop();
    vi.restoreAllMocks();
  });

  // Runs first, while the wasm backend is still uninitialized in this test file's process.
  it('works when called before the wasm backend initializes', async () => {
    expect(tf.engine().registry.wasm).toBeUndefined();
    registerWasmBackprop();
    await useBackend('wasm');
    // Falls back to the built-in Sum, whose wasm binding the backend's setup must still make.
    const total = tf.tidy(() =>
      tf
        .sum(
          tf.tensor(
            [
              [1, 2],
              [3, 4],
            ],
            [2, 2],
            'int32',
          ),
          0,
        )
        .arraySync(),
    );
    expect(total).toEqual([4, 6]);
  });

  it('registers the missing gradient kernels for wasm only', () => {
    for (const kernelName of missing) expect(tf.getKernel(kernelName, 'wasm')).toBeUndefined();
    registerWasmBackprop();
    for (const kernelName of missing) {
      expect(tf.getKernel(kernelName, 'wasm')).toBeDefined();
      expect(tf.getKernel(kernelName, 'cpu')?.backendName).toBe('cpu');
    }
  });

  it('replaces the slow built-in kernels by default, and not when asked not to', () => {
    const builtins = replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'));
    registerWasmBackprop({ replaceSlowKernels: false });
    expect(replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'))).toEqual(builtins);
    unregisterWasmBackprop();
    registerWasmBackprop();
    for (const [index, kernelName] of replaced.entries()) {
      expect(tf.getKernel(kernelName, 'wasm')).not.toBe(builtins[index]);
    }
  });

  it('keeps its kernels, silently, on a second call with the same options', () => {
    const warn = vi.spyOn(console, 'warn');
    registerWasmBackprop();
    const first = [...missing, ...replaced].map((kernelName) => tf.getKernel(kernelName, 'wasm'));
    registerWasmBackprop();
    registerWasmBackprop({ simd: true, replaceSlowKernels: true });
    expect([...missing, ...replaced].map((kernelName) => tf.getKernel(kernelName, 'wasm'))).toEqual(
      first,
    );
    expect(warn).not.toHaveBeenCalled();
  });

  it('applies the options of a later call that differ from the first', () => {
    const builtins = replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'));
    registerWasmBackprop({ replaceSlowKernels: false });
    expect(replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'))).toEqual(builtins);

    registerWasmBackprop();
    for (const [index, kernelName] of replaced.entries()) {
      expect(tf.getKernel(kernelName, 'wasm')).not.toBe(builtins[index]);
    }
    const simdKernels = missing.map((kernelName) => tf.getKernel(kernelName, 'wasm'));

    registerWasmBackprop({ simd: false });
    for (const [index, kernelName] of missing.entries()) {
      const kernel = tf.getKernel(kernelName, 'wasm');
      expect(kernel).toBeDefined();
      expect(kernel).not.toBe(simdKernels[index]);
    }

    registerWasmBackprop({ simd: false, replaceSlowKernels: false });
    expect(replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'))).toEqual(builtins);
    for (const kernelName of missing) expect(tf.getKernel(kernelName, 'wasm')).toBeDefined();
  });

  it('keeps a kernel that someone else registered', () => {
    const foreign = {
      kernelName: tf.Conv2DBackpropFilter,
      backendName: 'wasm',
      kernelFunc: () => ({}) as tf.TensorInfo,
    };
    tf.registerKernel(foreign);
    registerWasmBackprop();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(foreign);
    unregisterWasmBackprop();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBe(foreign);
    tf.unregisterKernel(tf.Conv2DBackpropFilter, 'wasm');
  });

  it('restores the built-in kernels on unregister', () => {
    const builtins = replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'));
    registerWasmBackprop();
    unregisterWasmBackprop();
    expect(replaced.map((kernelName) => tf.getKernel(kernelName, 'wasm'))).toEqual(builtins);
    for (const kernelName of missing) expect(tf.getKernel(kernelName, 'wasm')).toBeUndefined();
  });

  it('makes autograd through conv2d and depthwiseConv2d work on wasm', async () => {
    await import('@tensorflow/tfjs');
    await useBackend('wasm');
    const gradients = () =>
      tf.tidy(() => {
        const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
        const loss = (filter: tf.Tensor, depthwise: tf.Tensor) =>
          tf.sum(
            tf.depthwiseConv2d(
              tf.conv2d(x, filter as tf.Tensor4D, 1, 'same'),
              depthwise as tf.Tensor4D,
              2,
              'same',
            ),
          );
        return tf
          .grads(loss)([tf.ones([3, 3, 2, 2]), tf.ones([3, 3, 2, 1])])
          .map((g) => g.shape);
      });
    expect(gradients).toThrow(/Kernel '\w+Backprop\w+' not registered for backend 'wasm'/);
    registerWasmBackprop();
    expect(gradients()).toEqual([
      [3, 3, 2, 2],
      [3, 3, 2, 1],
    ]);
  });
});
