/**
 * Python 3's `round` for the values channel arithmetic meets: halves go to the even neighbour.
 * The reference computes middle widths with `round(width * expandRatio)`, so a fractional expand
 * ratio must round exactly as it does there for checkpoints to line up.
 */
export function pythonRound(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * The reference's `make_divisible(v, divisor, min_value=1)` (from TF slim): round `value` to the
 * nearest multiple of `divisor`, at least `minValue`, and never more than 10% below `value`.
 */
export function makeDivisible(value: number, divisor = 8, minValue = 1): number {
  let rounded = Math.max(minValue, Math.floor(Math.floor(value + divisor / 2) / divisor) * divisor);
  if (rounded < 0.9 * value) rounded += divisor;
  return rounded;
}
