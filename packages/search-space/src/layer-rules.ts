import { makeDivisible, roundHalfToEven } from './make-divisible.js';
import type { StageSpace } from './types.js';

/**
 * The rules that turn widths and choices into layer shapes, each as the AttentiveNAS reference
 * (`DynamicMBConvLayer`, `DynamicSE`, `DynamicShortcutLayer`, the v3 head) computes it. The FLOPs
 * counter, the elastic layers, the extractor and export all read these, so a subnet's FLOPs,
 * its weights and its forward pass cannot disagree about a shape.
 */

/** The reference SE layer squeezes its input width by 4 before rounding to a multiple of 8. */
export const seReduction = 4;

/**
 * Whether the blocks of `stage` have their 1x1 expand conv (inverted bottleneck). The reference
 * builds it in a dynamic block whenever the stage's largest expand ratio is not 1, and then runs
 * it for every subnet, expand ratio 1 included (with `midChannels(in, 1, true)` outputs); a stage
 * whose only ratio is 1 has none and runs the depthwise conv on its input.
 */
export function stageHasExpandConv(stage: StageSpace): boolean {
  let largest = Number.NEGATIVE_INFINITY;
  for (const ratio of stage.expandRatios) if (ratio > largest) largest = ratio;
  return largest !== 1;
}

/**
 * The hidden width of an MBConv block: `make_divisible(round(inChannels * expandRatio), 8)` when
 * the block has its expand conv, else the input width itself.
 */
export function midChannels(
  inChannels: number,
  expandRatio: number,
  hasExpandConv: boolean,
): number {
  return hasExpandConv ? makeDivisible(roundHalfToEven(inChannels * expandRatio), 8) : inChannels;
}

/** The squeeze width of an SE layer on `channels`: `make_divisible(channels // 4, 8)`. */
export function seChannels(channels: number): number {
  return makeDivisible(Math.floor(channels / seReduction), 8);
}

/** Zeros on each side of a k x k conv's input: the reference's `get_same_padding`, `k // 2`. */
export function convPadding(kernelSize: number): number {
  return Math.floor(kernelSize / 2);
}

/**
 * Output side of a k x k conv padded by `convPadding(k)` (for odd k, "same" padding:
 * `ceil(side / stride)`).
 */
export function convOutputSize(inputSize: number, kernelSize: number, stride: number): number {
  return Math.floor((inputSize + 2 * convPadding(kernelSize) - kernelSize) / stride) + 1;
}

/**
 * How a block's input reaches its output, as the reference `DynamicShortcutLayer`: every MBConv
 * block is residual. A stride > 1 shortcut average-pools with window = stride; a width change
 * adds a 1x1 conv (no bias, no BN) after the pooling.
 */
export type ShortcutKind = 'identity' | 'avg-pool' | 'conv' | 'avg-pool-conv';

/** The shortcut of a block from `inChannels` to `outChannels` with `stride`. */
export function shortcutKind(
  inChannels: number,
  outChannels: number,
  stride: number,
): ShortcutKind {
  const projects = inChannels !== outChannels;
  if (stride > 1) return projects ? 'avg-pool-conv' : 'avg-pool';
  return projects ? 'conv' : 'identity';
}

/**
 * Zeros on each side of a pooling shortcut's input (counted in the average, PyTorch's
 * `count_include_pad`): 1 on an odd side so the pooled map matches the depthwise conv's output
 * side, else 0; 0 when the shortcut does not pool.
 */
export function shortcutPoolPadding(inputSize: number, stride: number): number {
  return stride > 1 && inputSize % 2 === 1 ? 1 : 0;
}

/** Whether a shortcut of `kind` runs its 1x1 conv. */
export function shortcutHasConv(kind: ShortcutKind): boolean {
  return kind === 'conv' || kind === 'avg-pool-conv';
}

/**
 * Width of the v3 head's 1x1 expansion for the last stage's active width: `round(in * ratio)`
 * (the reference's `width[-2] * 6` for its integer ratio).
 */
export function headExpandChannels(inChannels: number, expandRatio: number): number {
  return roundHalfToEven(inChannels * expandRatio);
}
