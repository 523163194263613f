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

/**
 * Python 3's `round()`: halves go to the even neighbour (`round(2.5) == 2`). The reference
 * computes widths with `round(width * ratio)`, so a fractional ratio must round exactly as it
 * does there for weights and checkpoints to line up.
 */
export function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction < 0.5) return floor;
  if (fraction > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}
