import {
  convOutputSize,
  headExpandChannels,
  midChannels,
  type ShortcutKind,
  seChannels,
  shortcutKind,
  shortcutPoolPadding,
  stageHasExpandConv,
} from './layer-rules.js';
import type { Activation, ArchConfig, SearchSpace } from './types.js';
import { validateArch } from './validate-arch.js';

/** The stem: k x k conv (no bias) + BN + activation. */
export interface StemLayout {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly activation: Activation;
}

/**
 * One MBConv block of a subnet: [1x1 expand conv + BN + act] (absent when the stage's largest
 * expand ratio is 1), k x k depthwise conv (stride here) + BN + act, [SE: pool, 1x1 reduce to
 * `seChannels` with bias, ReLU, 1x1 expand back with bias, hard sigmoid, multiply], 1x1 project
 * conv + BN (no act), plus the shortcut. Convs have no bias unless stated.
 */
export interface BlockLayout {
  /** Stage index (0 for `mb1`). */
  readonly stage: number;
  readonly stageName: string;
  /** Index of the block within its stage; block 0 carries the stage stride. */
  readonly layer: number;
  readonly inChannels: number;
  /** Width of the expand conv output and depthwise conv (`midChannels`). */
  readonly midChannels: number;
  /** SE squeeze width `make_divisible(mid // 4, 8)`; 0 when the stage has no SE. */
  readonly seChannels: number;
  readonly outChannels: number;
  readonly expandRatio: number;
  /**
   * Whether the block has its 1x1 expand conv (`stageHasExpandConv`): true for expand ratio 1
   * too when the stage offers larger ratios, as the reference runs it.
   */
  readonly hasExpandConv: boolean;
  readonly kernelSize: number;
  readonly stride: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly shortcut: ShortcutKind;
  /** Zeros on each side before the shortcut's average pool (window = stride); 0 without one. */
  readonly shortcutPoolPadding: number;
  readonly activation: Activation;
}

/**
 * The v3 head: 1x1 conv to `expandChannels` + BN + act at `inputSize`, global average pool,
 * 1x1 conv to `featureChannels` (no bias, no BN, as the reference extracts it) + act, then the
 * linear classifier (with bias).
 */
export interface HeadLayout {
  readonly inChannels: number;
  readonly expandChannels: number;
  readonly featureChannels: number;
  readonly inputSize: number;
  readonly activation: Activation;
}

export interface SubnetLayout {
  readonly resolution: number;
  readonly stem: StemLayout;
  readonly blocks: readonly BlockLayout[];
  readonly head: HeadLayout;
}

export interface DescribeSubnetOptions {
  /** Image channels; 3 unless the data is greyscale. */
  readonly inputChannels?: number;
}

/**
 * The static network an arch selects: every conv's channels, kernel, stride and feature-map
 * side, by the rules of `layer-rules`. FLOPs counting, weight slicing, the elastic forward pass
 * and export all read it. Validates the arch first (`InvalidArchError`).
 */
export function describeSubnet(
  space: SearchSpace,
  arch: ArchConfig,
  options: DescribeSubnetOptions = {},
): SubnetLayout {
  validateArch(space, arch);
  const { firstConv } = space;
  const stemWidth = arch.width[0] as number;
  const stemSize = convOutputSize(arch.resolution, firstConv.kernelSize, firstConv.stride);
  const stem: StemLayout = {
    inChannels: options.inputChannels ?? 3,
    outChannels: stemWidth,
    kernelSize: firstConv.kernelSize,
    stride: firstConv.stride,
    inputSize: arch.resolution,
    outputSize: stemSize,
    activation: firstConv.activation,
  };
  const blocks: BlockLayout[] = [];
  let channels = stemWidth;
  let size = stemSize;
  space.stages.forEach((stage, s) => {
    const outChannels = arch.width[s + 1] as number;
    const kernelSize = arch.kernelSize[s] as number;
    const expandRatio = arch.expandRatio[s] as number;
    const hasExpandConv = stageHasExpandConv(stage);
    for (let layer = 0; layer < (arch.depth[s] as number); layer++) {
      const stride = layer === 0 ? stage.stride : 1;
      const mid = midChannels(channels, expandRatio, hasExpandConv);
      const outputSize = convOutputSize(size, kernelSize, stride);
      blocks.push({
        stage: s,
        stageName: stage.name,
        layer,
        inChannels: channels,
        midChannels: mid,
        seChannels: stage.se ? seChannels(mid) : 0,
        outChannels,
        expandRatio,
        hasExpandConv,
        kernelSize,
        stride,
        inputSize: size,
        outputSize,
        shortcut: shortcutKind(channels, outChannels, stride),
        shortcutPoolPadding: shortcutPoolPadding(size, stride),
        activation: stage.activation,
      });
      channels = outChannels;
      size = outputSize;
    }
  });
  const head: HeadLayout = {
    inChannels: channels,
    expandChannels: headExpandChannels(channels, space.lastConv.expandRatio),
    featureChannels: arch.width[space.stages.length + 1] as number,
    inputSize: size,
    activation: space.lastConv.activation,
  };
  return { resolution: arch.resolution, stem, blocks, head };
}
