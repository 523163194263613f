import { countFlops } from '@supernas/flops';
import { type ArchConfig, type Rng, type SearchSpace, sampleArch } from '@supernas/search-space';
import { SamplerError } from './sampler-error.js';

/** An MFLOPs interval [low, high), or [low, high] with `includeHigh` (a prior's last bin). */
export interface FlopsRange {
  readonly low: number;
  readonly high: number;
  readonly includeHigh?: boolean;
}

export interface DrawInRangeOptions {
  readonly rng: Rng;
  readonly numClasses: number;
  readonly inputChannels?: number;
  /** Uniform draws before giving up. Default 100, as AttentiveNAS' `max_trials`. */
  readonly maxTries?: number;
}

export interface DrawInRangeResult {
  readonly arch: ArchConfig;
  readonly mflops: number;
  /** Archs drawn and counted, 1 to maxTries. */
  readonly draws: number;
  /** False when no draw landed in the range and the closest one was returned instead. */
  readonly inRange: boolean;
}

/**
 * Rejection sampling: draws archs uniformly (`sampleArch`) until one's MFLOPs fall in `range`,
 * so an accepted arch is uniform among the archs of that range. After `maxTries` misses it
 * returns the draw whose MFLOPs were closest to the range (`inRange: false`) instead of
 * looping on, as AttentiveNAS also accepts its last draw: a rare bin must not stall training.
 */
export function drawArchInFlopsRange(
  space: SearchSpace,
  range: FlopsRange,
  options: DrawInRangeOptions,
): DrawInRangeResult {
  const maxTries = options.maxTries ?? 100;
  if (!(Number.isInteger(maxTries) && maxTries >= 1)) {
    throw new SamplerError('drawArchInFlopsRange', 'maxTries', maxTries, 'a positive integer');
  }
  if (!(range.low <= range.high)) {
    throw new SamplerError(
      'drawArchInFlopsRange',
      'range',
      range,
      'an MFLOPs interval with low <= high',
    );
  }
  const countOptions = { numClasses: options.numClasses, inputChannels: options.inputChannels };
  let closest: { arch: ArchConfig; mflops: number; distance: number } | null = null;
  for (let draws = 1; draws <= maxTries; draws++) {
    const arch = sampleArch(space, options.rng);
    const mflops = countFlops(space, arch, countOptions).flops / 1e6;
    const below = range.low - mflops;
    const above = mflops - range.high;
    if (below <= 0 && (above < 0 || (above === 0 && range.includeHigh === true))) {
      return { arch, mflops, draws, inRange: true };
    }
    const distance = Math.max(below, above);
    if (!closest || distance < closest.distance) closest = { arch, mflops, distance };
  }
  const fallback = closest as NonNullable<typeof closest>;
  return { arch: fallback.arch, mflops: fallback.mflops, draws: maxTries, inRange: false };
}
