import { closeMismatch, seededValues, type Tolerance } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';

export interface GradientCase {
  /** Shapes of the differentiated arguments, in order. */
  shapes: number[][];
  /** The function whose gradients are compared; its output is contracted with a fixed weight. */
  apply: (...args: tf.Tensor[]) => tf.Tensor;
  seed: number;
  /** Indices of the arguments to differentiate; all of them by default. */
  differentiate?: number[];
}

export interface BackendResult {
  output: Float32Array;
  gradients: Float32Array[];
}

/** Makes `backendName` the active backend, failing loudly instead of silently keeping another. */
export async function useBackend(backendName: string): Promise<void> {
  if (!(await tf.setBackend(backendName)) || tf.getBackend() !== backendName) {
    throw new Error(`backend ${backendName} failed to initialize`);
  }
}

/**
 * Runs `apply` and its gradients on `backendName`, from seeded data, and returns plain arrays. The loss is `sum(apply(...) * weight)` with a seeded weight, so
 * each output element gets a different upstream gradient.
 */
export async function backendGradients(
  backendName: string,
  testCase: GradientCase,
): Promise<BackendResult> {
  await useBackend(backendName);
  return tf.tidy(() => {
    const args = testCase.shapes.map((shape, index) =>
      tf.tensor(seededValues(shape, testCase.seed + index), shape),
    );
    const output = testCase.apply(...args);
    const weight = tf.tensor(seededValues(output.shape, testCase.seed + 100), output.shape);
    const variable = testCase.differentiate ?? args.map((_, index) => index);
    const loss = (...inputs: tf.Tensor[]) => {
      const all = args.map((arg, index) => {
        const position = variable.indexOf(index);
        return position === -1 ? arg : inputs[position]!;
      });
      return tf.sum(tf.mul(testCase.apply(...all), weight));
    };
    const gradients = tf.grads(loss)(variable.map((index) => args[index]!));
    return {
      output: output.dataSync() as Float32Array,
      gradients: gradients.map((gradient) => gradient.dataSync() as Float32Array),
    };
  });
}

/**
 * Why wasm's gradients for `testCase` differ from cpu's beyond `tolerance`, or undefined when
 * they agree. Forward outputs are not compared: they come from wasm's own forward kernels, not
 * from this package.
 */
export async function wasmGradientMismatch(
  testCase: GradientCase,
  tolerance: Tolerance,
): Promise<string | undefined> {
  const expected = await backendGradients('cpu', testCase);
  const actual = await backendGradients('wasm', testCase);
  for (const [index, gradient] of actual.gradients.entries()) {
    const mismatch = closeMismatch(gradient, expected.gradients[index]!, tolerance);
    if (mismatch !== undefined) return `gradient ${index}, wasm against cpu: ${mismatch}`;
  }
  return undefined;
}

/** Expects wasm's gradients for `testCase` to equal cpu's within `tolerance`. */
export async function expectWasmGradientsMatchCpu(
  testCase: GradientCase,
  tolerance: Tolerance,
): Promise<void> {
  const mismatch = await wasmGradientMismatch(testCase, tolerance);
  if (mismatch !== undefined) throw new Error(mismatch);
}

export interface KernelInput {
  shape: number[];
  dtype?: 'float32' | 'int32' | 'bool';
  seed: number;
}

/** Runs one kernel directly on `backendName` with seeded inputs; returns its output's values. */
export async function runKernelOn(
  backendName: string,
  kernelName: string,
  inputs: Record<string, KernelInput>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; dtype: string; values: Float32Array }> {
  await useBackend(backendName);
  return tf.tidy(() => {
    const tensors = Object.fromEntries(
      Object.entries(inputs).map(([name, input]) => {
        const values = seededValues(input.shape, input.seed);
        const tensor =
          input.dtype === 'int32'
            ? tf.tensor(
                values.map((value) => Math.round(value * 10)),
                input.shape,
                'int32',
              )
            : input.dtype === 'bool'
              ? tf.tensor(
                  values.map((value) => (value > 0 ? 1 : 0)),
                  input.shape,
                  'bool',
                )
              : tf.tensor(values, input.shape);
        return [name, tensor];
      }),
    );
    const output = tf
      .engine()
      .runKernel(kernelName, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    return {
      shape: output.shape,
      dtype: output.dtype,
      values: Float32Array.from(output.dataSync() as ArrayLike<number>),
    };
  });
}
