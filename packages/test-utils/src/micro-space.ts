import type { SearchSpace } from '@supernas/search-space';

/**
 * A space small enough for the pure-JS cpu backend to train a step in milliseconds (about a
 * second under mpirun): the trainer's and the distributed tests' supernet. Also importable as
 * `@supernas/test-utils/micro-space` by plain Node scripts, which must not load vitest.
 */
export const microSpace: SearchSpace = {
  name: 'micro',
  resolutions: [8, 12],
  firstConv: { widths: [4, 8], kernelSize: 3, stride: 1, activation: 'swish' },
  stages: [
    {
      name: 'mb1',
      widths: [4, 8],
      depths: [1, 2],
      kernelSizes: [3],
      expandRatios: [1],
      stride: 1,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb2',
      widths: [8, 12],
      depths: [1, 2],
      kernelSizes: [3, 5],
      expandRatios: [2, 3],
      stride: 2,
      se: true,
      activation: 'swish',
    },
  ],
  lastConv: { widths: [16, 24], expandRatio: 6, activation: 'swish' },
};
