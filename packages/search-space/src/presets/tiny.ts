import type { SearchSpace } from '../types.js';

/**
 * A small space for 28 px images (Fashion-MNIST, MNIST; CIFAR trains it at 24/28 too) with the
 * same structure as `attentivenas`: elastic resolution, widths, depths, kernel sizes and expand
 * ratios, SE in the later stages, the v3 head. Sized so a supernet trains on two CPU cores in
 * minutes: the stride-2 stem and two more strides (mb2, mb3; mb4 at 1) take 28 px down to 4 x 4.
 *
 * Two choices come from measured default-job runs (`supernas train`, 1.5 epochs):
 * - Depthwise kernels are 3x3 only: on 14 x 14 to 4 x 4 maps a 5x5 kernel is mostly padding,
 *   and sharing a 5x5 kernel's centre with 3x3 subnets under in-place distillation slowed
 *   training markedly (max-subnet top-1 58.5% against 66.8% after 600 steps).
 * - Resolutions stop at the images' own 28 px. With 32 px (upsampled) the largest subnet
 *   teaches at 32 px while attentive BestUp picks mostly 24 px students; distilling across that
 *   gap cost the max subnet 2.4 points (82.4% against 84.8% top-1), for no information the
 *   28 px images do not already hold.
 */
export const tinySpace: SearchSpace = {
  name: 'tiny',
  resolutions: [24, 28],
  firstConv: { widths: [8, 16], kernelSize: 3, stride: 2, activation: 'swish' },
  stages: [
    {
      name: 'mb1',
      widths: [8, 16],
      depths: [1, 2],
      kernelSizes: [3],
      expandRatios: [1],
      stride: 1,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb2',
      widths: [16, 24],
      depths: [1, 2],
      kernelSizes: [3],
      expandRatios: [3, 4, 6],
      stride: 2,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb3',
      widths: [24, 32],
      depths: [1, 2, 3],
      kernelSizes: [3],
      expandRatios: [3, 4, 6],
      stride: 2,
      se: true,
      activation: 'swish',
    },
    {
      name: 'mb4',
      widths: [40, 48],
      depths: [1, 2],
      kernelSizes: [3],
      expandRatios: [4, 6],
      stride: 1,
      se: true,
      activation: 'swish',
    },
  ],
  lastConv: { widths: [128, 160], expandRatio: 6, activation: 'swish' },
};
