import { flopsBin } from './flops-bin.js';
import type { SamplerStats } from './sampler.js';
import { SamplerError } from './sampler-error.js';

type Counter =
  | 'calls'
  | 'archs'
  | 'candidateDraws'
  | 'acceptedDraws'
  | 'candidates'
  | 'fallbacks'
  | 'rankCalls';
const counterNames: readonly Counter[] = [
  'calls',
  'archs',
  'candidateDraws',
  'acceptedDraws',
  'candidates',
  'fallbacks',
  'rankCalls',
];

/** The mutable side of `SamplerStats`, shared by the samplers. */
export class StatsRecorder {
  private readonly counters: Record<Counter, number> = {
    calls: 0,
    archs: 0,
    candidateDraws: 0,
    acceptedDraws: 0,
    candidates: 0,
    fallbacks: 0,
    rankCalls: 0,
  };
  private histogramCounts: number[] | null;
  private outOfRange = 0;

  constructor(
    readonly sampler: string,
    private readonly binEdges: readonly number[] | null,
  ) {
    this.histogramCounts = binEdges ? new Array<number>(binEdges.length - 1).fill(0) : null;
  }

  add(counter: Counter, amount = 1): void {
    this.counters[counter] += amount;
  }

  /** Counts one returned arch of `mflops` into the histogram, if there is one. */
  recordFlops(mflops: number): void {
    if (!this.histogramCounts || !this.binEdges) return;
    const bin = flopsBin(this.binEdges, mflops);
    if (bin < 0) this.outOfRange++;
    else this.histogramCounts[bin] = (this.histogramCounts[bin] as number) + 1;
  }

  snapshot(inner: SamplerStats | null = null): SamplerStats {
    return {
      sampler: this.sampler,
      ...this.counters,
      flopsHistogram:
        this.histogramCounts && this.binEdges
          ? {
              binEdges: [...this.binEdges],
              counts: [...this.histogramCounts],
              outOfRange: this.outOfRange,
            }
          : null,
      inner,
    };
  }

  restore(stats: SamplerStats): void {
    if (stats?.sampler !== this.sampler) {
      throw new SamplerError(
        this.sampler,
        'state.stats.sampler',
        stats?.sampler,
        `'${this.sampler}'`,
      );
    }
    for (const name of counterNames) {
      const value = stats[name];
      if (!(Number.isInteger(value) && value >= 0)) {
        throw new SamplerError(
          this.sampler,
          `state.stats.${name}`,
          value,
          'a non-negative integer',
        );
      }
    }
    const histogram = stats.flopsHistogram;
    if ((histogram === null) !== (this.histogramCounts === null)) {
      throw new SamplerError(
        this.sampler,
        'state.stats.flopsHistogram',
        histogram,
        'present exactly when the sampler keeps one',
      );
    }
    if (histogram && histogram.counts.length !== this.histogramCounts?.length) {
      throw new SamplerError(
        this.sampler,
        'state.stats.flopsHistogram.counts',
        histogram.counts,
        `${this.histogramCounts?.length} bins, as this sampler's binEdges`,
      );
    }
    for (const name of counterNames) this.counters[name] = stats[name];
    this.histogramCounts = histogram ? [...histogram.counts] : null;
    this.outOfRange = histogram?.outOfRange ?? 0;
  }
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : 'n/a';
}

/** One line for progress output, e.g. `attentive-best: 10 calls, 10 archs, ...`. */
export function formatStats(stats: SamplerStats): string {
  const parts = [`${stats.calls} calls`, `${stats.archs} archs`];
  if (stats.candidates > 0) {
    parts.push(
      `${stats.candidates} candidates`,
      `target bin hit ${percent(stats.candidates - stats.fallbacks, stats.candidates)}`,
      `acceptance ${percent(stats.acceptedDraws, stats.candidateDraws)} of ${stats.candidateDraws} draws`,
      `${stats.fallbacks} fallbacks`,
    );
  }
  if (stats.flopsHistogram) parts.push(`MFLOPs bins [${stats.flopsHistogram.counts.join(' ')}]`);
  const line = `${stats.sampler}: ${parts.join(', ')}`;
  return stats.inner ? `${line}; ${formatStats(stats.inner)}` : line;
}
