import {
  type ArchConfig,
  archKey,
  createRng,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';

/**
 * `count` distinct archs to build a predictor from: the smallest and the largest, then archs
 * drawn uniformly with `seed` (the same seed and count always give the same list, so an
 * interrupted build continues with the archs it had left).
 */
export function predictorBuildArchs(space: SearchSpace, count: number, seed: number): ArchConfig[] {
  const archs = [minArch(space), maxArch(space)].slice(0, count);
  const seen = new Set(archs.map(archKey));
  const rng = createRng(seed);
  // A small space can hold fewer archs than asked for; stop drawing long after the last new one.
  for (let misses = 0; archs.length < count && misses < 1000; ) {
    const arch = sampleArch(space, rng);
    const key = archKey(arch);
    if (seen.has(key)) {
      misses++;
      continue;
    }
    seen.add(key);
    archs.push(arch);
    misses = 0;
  }
  return archs;
}

/** A seeded split of `items` into `fitCount` to fit on and the rest to test on. */
export function splitSamples<T>(
  items: readonly T[],
  fitCount: number,
  seed: number,
): { readonly fit: T[]; readonly test: T[] } {
  const order = items.map((_, i) => i);
  const rng = createRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return {
    fit: order.slice(0, fitCount).map((i) => items[i]!),
    test: order.slice(fitCount).map((i) => items[i]!),
  };
}

/** Sample standard deviation (n - 1); 0 for fewer than two values. */
export function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}
