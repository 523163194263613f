import { maxArch, minArch, type Rng, type SearchSpace, sampleArch } from '@supernas/search-space';
import { checkCountOptions } from './check-count-options.js';
import { countFlops } from './count-flops.js';
import { FlopsOptionError } from './flops-option-error.js';

/** A histogram of subnet MFLOPs under uniform sampling (the AttentiveNAS FLOPs prior). */
export interface FlopsPrior {
  /** `bins + 1` equally spaced edges in MFLOPs, from the min subnet's to the max subnet's. */
  readonly binEdges: readonly number[];
  /** Sampled archs per bin; bin i is [binEdges[i], binEdges[i+1]), the last one closed. */
  readonly counts: readonly number[];
  /** `counts / samples`. */
  readonly probabilities: readonly number[];
}

export interface FlopsPriorOptions {
  readonly rng: Rng;
  readonly numClasses: number;
  readonly inputChannels?: number;
  /** Archs to draw; default 10,000. */
  readonly samples?: number;
  /** Histogram bins; default 20. */
  readonly bins?: number;
}

/**
 * Estimates how FLOPs are distributed over the space when every choice is uniform: AttentiveNAS
 * draws a FLOPs target from this prior before picking candidates near it. The range is exact
 * (FLOPs grow with every choice, so the min and max subnets bound it); the counts are sampled.
 */
export function flopsPrior(space: SearchSpace, options: FlopsPriorOptions): FlopsPrior {
  checkCountOptions('flopsPrior', options);
  const samples = options.samples ?? 10_000;
  const bins = options.bins ?? 20;
  for (const [key, value] of [
    ['samples', samples],
    ['bins', bins],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1)) {
      throw new FlopsOptionError('flopsPrior', key, value, 'a positive integer');
    }
  }
  const mflops = (arch: ReturnType<typeof minArch>): number =>
    countFlops(space, arch, options).flops / 1e6;
  const low = mflops(minArch(space));
  const high = mflops(maxArch(space));
  const binWidth = (high - low) / bins;
  const binEdges = Array.from({ length: bins + 1 }, (_, i) =>
    i === bins ? high : low + i * binWidth,
  );
  const counts: number[] = Array(bins).fill(0);
  for (let i = 0; i < samples; i++) {
    const value = mflops(sampleArch(space, options.rng));
    const bin = binWidth > 0 ? Math.min(bins - 1, Math.floor((value - low) / binWidth)) : 0;
    counts[bin] = (counts[bin] as number) + 1;
  }
  return { binEdges, counts, probabilities: counts.map((count) => count / samples) };
}

/** A FLOPs target: a bin drawn with the prior's probabilities, and its MFLOPs range. */
export interface FlopsTarget {
  readonly bin: number;
  readonly low: number;
  readonly high: number;
}

/** Draws a bin from the prior (one `rng.next()`), returning its index and MFLOPs bounds. */
export function sampleFlopsTarget(prior: FlopsPrior, rng: Rng): FlopsTarget {
  const { probabilities, binEdges } = prior;
  const total = probabilities.reduce((sum, p) => sum + p, 0);
  if (!(total > 0) || binEdges.length !== probabilities.length + 1) {
    throw new FlopsOptionError(
      'sampleFlopsTarget',
      'prior.probabilities',
      probabilities,
      `${binEdges.length - 1} bin probabilities with a positive sum`,
    );
  }
  // Scale by the sum rather than assume exactly 1, so a prior edited or rounded by hand works.
  let remaining = rng.next() * total;
  let bin = 0;
  for (; bin < probabilities.length - 1; bin++) {
    remaining -= probabilities[bin] as number;
    if (remaining < 0) break;
  }
  // Skip empty bins that rounding at the end might land on.
  while ((probabilities[bin] as number) === 0 && bin > 0) bin--;
  return { bin, low: binEdges[bin] as number, high: binEdges[bin + 1] as number };
}
