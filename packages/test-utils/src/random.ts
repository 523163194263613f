import { createRng, type Rng } from '@supernas/search-space';

export type { Rng };

/**
 * The one seeded generator of tests and benchmarks: supernas' own `createRng` (sfc32), so test
 * data never depends on `Math.random` and a failing case replays from its seed.
 */
export function seededRng(seed: number): Rng {
  return createRng(seed);
}

/**
 * `count` (or the product of a shape's dimensions) uniform values in [low, high) from `seed`,
 * identical on every backend and every run.
 */
export function seededValues(
  countOrShape: number | readonly number[],
  seed: number,
  low = -1,
  high = 1,
): Float32Array {
  const count =
    typeof countOrShape === 'number'
      ? countOrShape
      : countOrShape.reduce((product, dimension) => product * dimension, 1);
  if (!Number.isInteger(count) || count < 0) {
    throw new RangeError(`seededValues: count must be a non-negative integer, got ${count}`);
  }
  if (!(high >= low)) {
    throw new RangeError(`seededValues: high (${high}) must not be below low (${low})`);
  }
  const rng = createRng(seed);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index++) values[index] = low + rng.next() * (high - low);
  return values;
}
