import { type SearchSpace, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCpuSliceKernel } from '../register-cpu-slice-kernel.js';

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

// The shared kit holds these two, for the backend packages' tests too.
export { oddMapSpace, randomizeBatchNorms } from '@supernas/test-utils';

export function maxAbsDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
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
