import type { SearchSpace } from '../types.js';

/**
 * The AttentiveNAS / AlphaNet ImageNet space, as `supernet_config` in the reference
 * training configs: 4 resolutions, a stride-2 stem, 7 MBConv stages, the v3 head.
 */
export const attentivenasSpace: SearchSpace = {
  name: 'attentivenas',
  resolutions: [192, 224, 256, 288],
  firstConv: { widths: [16, 24], kernelSize: 3, stride: 2, activation: 'swish' },
  stages: [
    {
      name: 'mb1',
      widths: [16, 24],
      depths: [1, 2],
      kernelSizes: [3, 5],
      expandRatios: [1],
      stride: 1,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb2',
      widths: [24, 32],
      depths: [3, 4, 5],
      kernelSizes: [3, 5],
      expandRatios: [4, 5, 6],
      stride: 2,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb3',
      widths: [32, 40],
      depths: [3, 4, 5, 6],
      kernelSizes: [3, 5],
      expandRatios: [4, 5, 6],
      stride: 2,
      se: true,
      activation: 'swish',
    },
    {
      name: 'mb4',
      widths: [64, 72],
      depths: [3, 4, 5, 6],
      kernelSizes: [3, 5],
      expandRatios: [4, 5, 6],
      stride: 2,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb5',
      widths: [112, 120, 128],
      depths: [3, 4, 5, 6, 7, 8],
      kernelSizes: [3, 5],
      expandRatios: [4, 5, 6],
      stride: 1,
      se: true,
      activation: 'swish',
    },
    {
      name: 'mb6',
      widths: [192, 200, 208, 216],
      depths: [3, 4, 5, 6, 7, 8],
      kernelSizes: [3, 5],
      expandRatios: [6],
      stride: 2,
      se: true,
      activation: 'swish',
    },
    {
      name: 'mb7',
      widths: [216, 224],
      depths: [1, 2],
      kernelSizes: [3, 5],
      expandRatios: [6],
      stride: 1,
      se: true,
      activation: 'swish',
    },
  ],
  lastConv: { widths: [1792, 1984], expandRatio: 6, activation: 'swish' },
};
