import type { ArchConfig } from '@supernas/search-space';
import {
  type BlockLayout,
  headExpandWidth,
  middleWidth,
  type SupernetLayout,
  seMiddleWidth,
} from './supernet-layout.js';

/** How a block's input reaches its output when added to the main branch. */
export interface ShortcutPlan {
  /** True when the input is added unchanged (same width, stride 1). */
  readonly identity: boolean;
  /** Average-pool window and stride (the block's stride); 1 means no pooling. */
  readonly poolSize: number;
  /** Zeros on each side before pooling, counted in the average (PyTorch `count_include_pad`). */
  readonly poolPadding: number;
  /** Whether a 1x1 conv maps the input width to the output width. */
  readonly conv: boolean;
}

/** One block of a subnet with its active widths and the spatial size it sees. */
export interface ActiveBlock {
  readonly layout: BlockLayout;
  readonly inWidth: number;
  readonly outWidth: number;
  readonly midWidth: number;
  readonly kernelSize: number;
  readonly expandRatio: number;
  readonly stride: number;
  /** Reduced SE width, or 0 when the block has no SE. */
  readonly seMid: number;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly shortcut: ShortcutPlan;
}

/** Everything the forward pass and the extractor need to know about one arch. */
export interface SubnetPlan {
  readonly arch: ArchConfig;
  readonly firstConv: { readonly outWidth: number; readonly outputSize: number };
  readonly blocks: readonly ActiveBlock[];
  readonly head: {
    readonly inWidth: number;
    readonly expandWidth: number;
    readonly outWidth: number;
    readonly inputSize: number;
  };
}

/** Output size of a conv with PyTorch-style symmetric padding `kernelSize >> 1`. */
export function convOutputSize(size: number, kernelSize: number, stride: number): number {
  return Math.floor((size + 2 * (kernelSize >> 1) - kernelSize) / stride) + 1;
}

function shortcutPlan(
  inWidth: number,
  outWidth: number,
  stride: number,
  size: number,
): ShortcutPlan {
  if (inWidth === outWidth && stride === 1) {
    return { identity: true, poolSize: 1, poolPadding: 0, conv: false };
  }
  // As the reference's DynamicShortcutLayer: pad odd sizes by one so the pooled map has the
  // depthwise conv's output size.
  return {
    identity: false,
    poolSize: stride,
    poolPadding: stride > 1 && size % 2 === 1 ? 1 : 0,
    conv: inWidth !== outWidth,
  };
}

/**
 * The active part of the supernet for `arch` (already validated against the layout's space):
 * the first `depth[s]` blocks of each stage, each with the widths the reference derives from the
 * width it actually receives.
 */
export function planSubnet(layout: SupernetLayout, arch: ArchConfig): SubnetPlan {
  const { space } = layout;
  const firstWidth = arch.width[0] as number;
  let size = convOutputSize(arch.resolution, layout.firstConv.kernelSize, layout.firstConv.stride);
  const firstConv = { outWidth: firstWidth, outputSize: size };
  let inWidth = firstWidth;
  const blocks: ActiveBlock[] = [];
  layout.stageBlocks.forEach((indices, stage) => {
    const depth = arch.depth[stage] as number;
    const outWidth = arch.width[stage + 1] as number;
    const kernelSize = arch.kernelSize[stage] as number;
    const expandRatio = arch.expandRatio[stage] as number;
    for (const index of indices.slice(0, depth)) {
      const block = layout.blocks[index] as BlockLayout;
      const midWidth = middleWidth(inWidth, expandRatio, block.hasExpansion);
      const outputSize = convOutputSize(size, kernelSize, block.stride);
      blocks.push({
        layout: block,
        inWidth,
        outWidth,
        midWidth,
        kernelSize,
        expandRatio,
        stride: block.stride,
        seMid: block.se ? seMiddleWidth(midWidth) : 0,
        inputSize: size,
        outputSize,
        shortcut: shortcutPlan(inWidth, outWidth, block.stride, size),
      });
      inWidth = outWidth;
      size = outputSize;
    }
  });
  const lastWidth = arch.width[space.stages.length + 1] as number;
  return {
    arch,
    firstConv,
    blocks,
    head: {
      inWidth,
      expandWidth: headExpandWidth(inWidth, layout.head.expandRatio),
      outWidth: lastWidth,
      inputSize: size,
    },
  };
}
