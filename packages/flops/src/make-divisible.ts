/**
 * Rounds a channel count to a multiple of `divisor`, never going down by more than 10%: the
 * slim/MobileNet rule as the reference (`nn_utils.make_divisible`) has it, including its
 * `min_value = 1` default (OFA's copy defaults to `divisor`, which differs below 8).
 */
export function makeDivisible(value: number, divisor = 8, minValue = 1): number {
  let rounded = Math.max(minValue, Math.floor(Math.floor(value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}

/** Python 3's `round()`: halves go to the even neighbour (`round(2.5) == 2`). */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The hidden width of an MBConv block: `make_divisible(round(inChannels * expandRatio), 8)`.
 * With expand ratio 1 there is no expand conv, so the depthwise conv runs on the input itself.
 */
export function midChannels(inChannels: number, expandRatio: number): number {
  return expandRatio === 1
    ? inChannels
    : makeDivisible(roundHalfToEven(inChannels * expandRatio), 8);
}

/** The squeeze width of an SE layer: `make_divisible(channels // 4, 8)`, as the reference. */
export function seChannels(channels: number): number {
  return makeDivisible(Math.floor(channels / 4), 8);
}

/** Output side of a k x k conv with padding `k // 2` (odd k: the "same" padding of the reference). */
export function convOutputSize(inputSize: number, kernelSize: number, stride: number): number {
  return Math.floor((inputSize + 2 * Math.floor(kernelSize / 2) - kernelSize) / stride) + 1;
}
