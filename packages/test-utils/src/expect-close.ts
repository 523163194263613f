/** Explicit tolerances: a value passes when |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  rtol: number;
  atol: number;
}

type Values = number | ArrayLike<number>;

function toArray(values: Values): ArrayLike<number> {
  return typeof values === 'number' ? [values] : values;
}

function checkTolerance({ rtol, atol }: Tolerance): void {
  for (const [name, value] of [
    ['rtol', rtol],
    ['atol', atol],
  ] as const) {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`expectClose: ${name} must be a finite number >= 0, got ${value}`);
    }
  }
}

/**
 * Why `actual` is not within `tolerance` of `expected` (count, worst index and values), or
 * undefined when it is. NaN matches NaN and an infinity matches the same infinity, as in numpy's
 * `allclose(equal_nan=True)`. For harnesses that collect failures instead of throwing.
 */
export function closeMismatch(
  actual: Values,
  expected: Values,
  tolerance: Tolerance,
): string | undefined {
  checkTolerance(tolerance);
  const actualValues = toArray(actual);
  const expectedValues = toArray(expected);
  if (actualValues.length !== expectedValues.length) {
    return `length ${actualValues.length} differs from the expected ${expectedValues.length}`;
  }
  let failures = 0;
  let worstIndex = -1;
  let worstExcess = -1;
  for (let index = 0; index < expectedValues.length; index++) {
    const want = Number(expectedValues[index]);
    const got = Number(actualValues[index]);
    if (got === want || (Number.isNaN(got) && Number.isNaN(want))) continue;
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(want);
    const difference = Math.abs(got - want);
    // NaN or an infinity on one side only is a failure of unbounded size.
    const excess = Number.isFinite(difference) ? difference - allowed : Number.POSITIVE_INFINITY;
    if (!(excess <= 0) || Number.isNaN(difference)) {
      failures++;
      const size = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
      if (size > worstExcess) {
        worstExcess = size;
        worstIndex = index;
      }
    }
  }
  if (failures === 0) return undefined;
  const want = Number(expectedValues[worstIndex]);
  const got = Number(actualValues[worstIndex]);
  const allowed = tolerance.atol + tolerance.rtol * Math.abs(want);
  return (
    `${failures} of ${expectedValues.length} values differ beyond atol ${tolerance.atol} + ` +
    `rtol ${tolerance.rtol} * |expected|; worst at index ${worstIndex}: actual ${got}, ` +
    `expected ${want} (|difference| ${Math.abs(got - want)}, allowed ${allowed})`
  );
}

/**
 * Expects `actual` to equal `expected` element by element within explicit relative and absolute
 * tolerances (`{ rtol: 0, atol: 0 }` for exact equality); the failure names the worst index and
 * both values. `label` says which output failed where a test compares several.
 */
export function expectClose(
  actual: Values,
  expected: Values,
  tolerance: Tolerance,
  label?: string,
): void {
  const mismatch = closeMismatch(actual, expected, tolerance);
  if (mismatch !== undefined) {
    throw new Error(`expectClose${label === undefined ? '' : ` (${label})`}: ${mismatch}`);
  }
}
