import {
  type ArchConfig,
  describeSubnet,
  type SearchSpace,
  shortcutHasConv,
} from '@supernas/search-space';
import { checkCountOptions } from './check-count-options.js';

/** Multiply-adds and trainable parameters of one layer of a subnet. */
export interface LayerCount {
  /** `first_conv`, `mb3.1.expand` / `.depthwise` / `.se` / `.project` / `.shortcut`, `head.expand`, `head.feature_mix`, `classifier`. */
  readonly name: string;
  readonly flops: number;
  /** Weights, biases and BN scale + offset. */
  readonly params: number;
  /**
   * True for a shortcut 1x1 conv the reference extracts but never runs (input and output widths
   * are equal): its weights count as parameters, not as FLOPs.
   */
  readonly idle: boolean;
}

export interface CountOptions {
  readonly numClasses: number;
  /** Image channels; 3 unless the data is greyscale. */
  readonly inputChannels?: number;
}

/** Conv multiply-adds: `c_in * c_out * k^2 * H_out * W_out / groups`. */
function convFlops(
  inChannels: number,
  outChannels: number,
  kernelSize: number,
  size: number,
  groups = 1,
): number {
  return (inChannels * outChannels * kernelSize * kernelSize * size * size) / groups;
}

/**
 * The layer-by-layer terms `countFlops` sums, following the reference counter: conv and linear
 * layers only (BN, activations, pooling and the SE multiply are free), SE convs on the pooled
 * 1x1 map, shortcut convs only where widths change.
 */
export function flopsBreakdown(
  space: SearchSpace,
  arch: ArchConfig,
  options: CountOptions,
): LayerCount[] {
  checkCountOptions('flopsBreakdown', options);
  const layout = describeSubnet(space, arch, options);
  const { stem, head } = layout;
  const layers: LayerCount[] = [
    {
      name: 'first_conv',
      flops: convFlops(stem.inChannels, stem.outChannels, stem.kernelSize, stem.outputSize),
      params: stem.inChannels * stem.outChannels * stem.kernelSize ** 2 + 2 * stem.outChannels,
      idle: false,
    },
  ];
  for (const block of layout.blocks) {
    const prefix = `${block.stageName}.${block.layer}`;
    const { inChannels, midChannels, outChannels, kernelSize, inputSize, outputSize } = block;
    if (block.hasExpandConv) {
      layers.push({
        name: `${prefix}.expand`,
        flops: convFlops(inChannels, midChannels, 1, inputSize),
        params: inChannels * midChannels + 2 * midChannels,
        idle: false,
      });
    }
    layers.push({
      name: `${prefix}.depthwise`,
      flops: convFlops(midChannels, midChannels, kernelSize, outputSize, midChannels),
      params: midChannels * kernelSize ** 2 + 2 * midChannels,
      idle: false,
    });
    if (block.seChannels > 0) {
      layers.push({
        name: `${prefix}.se`,
        flops: 2 * midChannels * block.seChannels,
        params: 2 * midChannels * block.seChannels + block.seChannels + midChannels,
        idle: false,
      });
    }
    layers.push({
      name: `${prefix}.project`,
      flops: convFlops(midChannels, outChannels, 1, outputSize),
      params: midChannels * outChannels + 2 * outChannels,
      idle: false,
    });
    const projects = shortcutHasConv(block.shortcut);
    layers.push({
      name: `${prefix}.shortcut`,
      flops: projects ? convFlops(inChannels, outChannels, 1, outputSize) : 0,
      params: inChannels * outChannels,
      idle: !projects,
    });
  }
  layers.push(
    {
      name: 'head.expand',
      flops: convFlops(head.inChannels, head.expandChannels, 1, head.inputSize),
      params: head.inChannels * head.expandChannels + 2 * head.expandChannels,
      idle: false,
    },
    {
      name: 'head.feature_mix',
      flops: head.expandChannels * head.featureChannels,
      params: head.expandChannels * head.featureChannels,
      idle: false,
    },
    {
      name: 'classifier',
      flops: head.featureChannels * options.numClasses,
      params: head.featureChannels * options.numClasses + options.numClasses,
      idle: false,
    },
  );
  return layers;
}
