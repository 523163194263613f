import {
  type ArchConfig,
  convOutputSize,
  headExpandChannels,
  midChannels,
  type SearchSpace,
  seChannels,
  shortcutHasConv,
  shortcutKind,
  stageHasExpandConv,
  validateArch,
} from '@supernas/search-space';
import { checkCountOptions } from './check-count-options.js';
import type { CountOptions } from './flops-breakdown.js';

export interface FlopsCount {
  /** Multiply-adds of conv and linear layers for one image (divide by 1e6 for MFLOPs). */
  readonly flops: number;
  /**
   * Trainable parameters of the subnet the reference extracts (conv/linear weights and biases,
   * BN scale and offset). As in the reference, every block's shortcut 1x1 conv weights count,
   * even where widths match and the conv never runs.
   */
  readonly params: number;
  /** `params` without those idle shortcut weights: what a model holding only used layers has. */
  readonly usedParams: number;
}

/**
 * FLOPs and parameters of one subnet, by the reference convention (AttentiveNAS
 * `compute_active_subnet_flops` / `flops_counter.profile`): AttentiveNAS-A0 is 203.39 MFLOPs and
 * 9,064,648 params at 1000 classes. Same terms as `flopsBreakdown` over `describeSubnet`'s layers,
 * with the same layer rules, summed without building per-layer objects: this runs inside
 * samplers and searches, hundreds of thousands of times. Throws `InvalidArchError` for an arch
 * outside the space.
 */
export function countFlops(
  space: SearchSpace,
  arch: ArchConfig,
  options: CountOptions,
): FlopsCount {
  checkCountOptions('countFlops', options);
  validateArch(space, arch);
  const { firstConv, stages } = space;
  const inputChannels = options.inputChannels ?? 3;
  let channels = arch.width[0] as number;
  let size = convOutputSize(arch.resolution, firstConv.kernelSize, firstConv.stride);
  const stemKernelArea = firstConv.kernelSize * firstConv.kernelSize;
  let flops = inputChannels * channels * stemKernelArea * size * size;
  let params = inputChannels * channels * stemKernelArea + 2 * channels;
  let idleParams = 0;
  for (let s = 0; s < stages.length; s++) {
    const stage = stages[s]!;
    const outChannels = arch.width[s + 1] as number;
    const kernelSize = arch.kernelSize[s] as number;
    const kernelArea = kernelSize * kernelSize;
    const expandRatio = arch.expandRatio[s] as number;
    const depth = arch.depth[s] as number;
    const hasExpandConv = stageHasExpandConv(stage);
    for (let layer = 0; layer < depth; layer++) {
      const stride = layer === 0 ? stage.stride : 1;
      const mid = midChannels(channels, expandRatio, hasExpandConv);
      if (hasExpandConv) {
        flops += channels * mid * size * size;
        params += channels * mid + 2 * mid;
      }
      size = convOutputSize(size, kernelSize, stride);
      const area = size * size;
      flops += mid * kernelArea * area + mid * outChannels * area;
      params += mid * kernelArea + 2 * mid + mid * outChannels + 2 * outChannels;
      if (stage.se) {
        const squeeze = seChannels(mid);
        flops += 2 * mid * squeeze;
        params += 2 * mid * squeeze + squeeze + mid;
      }
      params += channels * outChannels;
      if (shortcutHasConv(shortcutKind(channels, outChannels, stride))) {
        flops += channels * outChannels * area;
      } else idleParams += channels * outChannels;
      channels = outChannels;
    }
  }
  const expandChannels = headExpandChannels(channels, space.lastConv.expandRatio);
  const featureChannels = arch.width[stages.length + 1] as number;
  flops += channels * expandChannels * size * size + expandChannels * featureChannels;
  params += channels * expandChannels + 2 * expandChannels + expandChannels * featureChannels;
  flops += featureChannels * options.numClasses;
  params += featureChannels * options.numClasses + options.numClasses;
  return { flops, params, usedParams: params - idleParams };
}
