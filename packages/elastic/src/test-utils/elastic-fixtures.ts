import { createRng, type SearchSpace, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuSliceKernel } from '../register-cpu-slice-kernel.js';
import type { Supernet } from '../types.js';

/** The cpu backend with the row-copy Slice kernel, as apps on cpu should run it. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  registerCpuSliceKernel();
}

/** A copy of `space` that runs at `resolution`: the structure is all that tests need. */
export function atResolution(space: SearchSpace, resolution: number): SearchSpace {
  return { ...space, name: `${space.name}@${resolution}`, resolutions: [resolution] };
}

/** A seeded batch of normal noise. */
export function randomBatch(shape: [number, number, number, number], seed: number): tf.Tensor4D {
  return tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D;
}

/**
 * Replaces every BN's affine and running statistics with seeded random values (gammas away from
 * zero, variances positive), so that tests see every branch contribute and eval differ from
 * training.
 */
export function randomizeBatchNorms(supernet: Supernet, seed: number): void {
  const rng = createRng(seed);
  for (const [name, variable] of supernet.variables) {
    if (variable.rank !== 1 || name.startsWith('classifier') || name.includes('.se.')) continue;
    const values = new Float32Array(variable.size);
    for (let i = 0; i < values.length; i++) {
      const u = rng.next();
      if (name.endsWith('.running_var')) values[i] = 0.5 + u;
      else if (name.endsWith('.weight')) values[i] = 0.5 + u;
      else values[i] = 0.2 * (u - 0.5);
    }
    tf.tidy(() => variable.assign(tf.tensor1d(values)));
  }
}

export function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
}

/**
 * `tiny` with a stride-1 stem and every later stage strided: at 28 px the last stage's first
 * block sees a 7x7 map, which the pooled shortcut pads (whatever the preset's strides are).
 */
export function oddMapSpace(space: SearchSpace): SearchSpace {
  return {
    ...space,
    name: `${space.name}-odd`,
    resolutions: [28],
    firstConv: { ...space.firstConv, stride: 1 },
    stages: space.stages.map((stage, index) => ({ ...stage, stride: index === 0 ? 1 : 2 })),
  };
}

/**
 * The `tiny` space with 3x3 and 5x5 depthwise kernels in every stage, so tests on small
 * supernets still exercise the centre crop of a larger kernel (the preset has 3x3 only).
 */
export const tinyWithKernels: SearchSpace = {
  ...tinySpace,
  name: 'tiny-kernels',
  stages: tinySpace.stages.map((stage) => ({ ...stage, kernelSizes: [3, 5] })),
};
