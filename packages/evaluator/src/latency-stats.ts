/** Median and spread of repeated timings, in milliseconds. */
export interface LatencyStats {
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly p25Ms: number;
  readonly p75Ms: number;
  readonly meanMs: number;
  readonly runs: number;
}

/** Quantile by linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  const lower = sorted[low] as number;
  return lower + ((sorted[high] as number) - lower) * (position - low);
}

/** Summarises timings (at least one). */
export function latencyStats(timesMs: readonly number[]): LatencyStats {
  const sorted = [...timesMs].sort((a, b) => a - b);
  return {
    medianMs: quantile(sorted, 0.5),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    p25Ms: quantile(sorted, 0.25),
    p75Ms: quantile(sorted, 0.75),
    meanMs: sorted.reduce((sum, time) => sum + time, 0) / sorted.length,
    runs: sorted.length,
  };
}
