import { countFlops } from '@supernas/flops';
import {
  type ArchConfig,
  isValidArch,
  type Rng,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';
import type { DrawInRangeResult } from './draw-arch-in-flops-range.js';
import { flopsBin } from './flops-bin.js';
import { SamplerError } from './sampler-error.js';

export interface ArchTableOptions {
  readonly numClasses: number;
  readonly inputChannels?: number;
  /** Archs kept waiting per bin; a draw that lands in a full bin is dropped. */
  readonly perBin: number;
  /** New draws per `take` before the closest arch at hand is taken instead. */
  readonly maxTries: number;
}

interface Entry {
  readonly arch: ArchConfig;
  readonly mflops: number;
}

/**
 * Uniform draws (`sampleArch`) sorted into FLOPs bins as they come, each used at most once.
 *
 * Rejection sampling throws away every draw outside the target bin; with a prior that follows
 * the space's own FLOPs distribution that is ~93% of them. The table keeps those draws in the
 * bin they landed in (first in, first out) for a later target, so a candidate costs about one
 * draw instead of ~14. A candidate is still a fresh uniform draw that landed in its bin, the
 * distribution rejection sampling gives: whether a draw is kept depends only on its bin and the
 * fill of that bin, never on the arch. AttentiveNAS instead draws, with replacement, from a
 * fixed pre-built (arch, FLOPs) table, which narrows each bin to the archs that made the table
 * for the whole run; a table that is consumed does not.
 *
 * Lazily filled: nothing is drawn until a bin is asked for and found empty. Its contents are
 * part of the sampler state (`state()` / `restore()`), so a resumed run takes the same archs.
 */
export class ArchTable {
  private queues: Entry[][];

  constructor(
    private readonly space: SearchSpace,
    private readonly binEdges: readonly number[],
    private readonly options: ArchTableOptions,
  ) {
    this.queues = Array.from({ length: binEdges.length - 1 }, () => []);
  }

  /**
   * An arch of bin `bin`, drawing from `rng` into the table while that bin is empty. After
   * `maxTries` draws without one it returns the arch closest to the bin's MFLOPs range among
   * the other bins' oldest entries and the draws that were not kept (`inRange: false`), as
   * rejection sampling falls back to its closest draw: a rare bin must not stall training.
   */
  take(bin: number, rng: Rng): DrawInRangeResult {
    const queue = this.queues[bin] as Entry[];
    let draws = 0;
    let spare: Entry | null = null;
    const low = this.binEdges[bin] as number;
    const high = this.binEdges[bin + 1] as number;
    const distance = (mflops: number) => Math.max(low - mflops, mflops - high);
    while (queue.length === 0 && draws < this.options.maxTries) {
      const arch = sampleArch(this.space, rng);
      const entry = { arch, mflops: this.mflopsOf(arch) };
      draws++;
      const landed = this.queues[flopsBin(this.binEdges, entry.mflops)];
      if (landed && landed.length < this.options.perBin) landed.push(entry);
      else if (!spare || distance(entry.mflops) < distance(spare.mflops)) spare = entry;
    }
    const first = queue.shift();
    if (first) return { ...first, draws, inRange: true };
    let closest: { entry: Entry; queue: Entry[] | null } | null = spare
      ? { entry: spare, queue: null }
      : null;
    for (const other of this.queues) {
      const head = other[0];
      if (head && (!closest || distance(head.mflops) < distance(closest.entry.mflops)))
        closest = { entry: head, queue: other };
    }
    // maxTries >= 1 draws were made and each was either kept in a queue or is the spare.
    const taken = closest as NonNullable<typeof closest>;
    taken.queue?.shift();
    return { ...taken.entry, draws, inRange: false };
  }

  /** The archs waiting in each bin, oldest first: JSON for the sampler state. */
  state(): ArchConfig[][] {
    return this.queues.map((queue) => queue.map((entry) => entry.arch));
  }

  /** Replaces the contents with a `state()`, checking every arch against its bin. */
  restore(sampler: string, saved: unknown): void {
    const bins = this.queues.length;
    if (!Array.isArray(saved) || saved.length !== bins) {
      throw new SamplerError(
        sampler,
        'state.table',
        saved,
        `${bins} lists of archs, one per FLOPs bin`,
      );
    }
    this.queues = saved.map((archs: unknown, bin) => {
      if (!Array.isArray(archs) || archs.length > this.options.perBin) {
        throw new SamplerError(
          sampler,
          `state.table[${bin}]`,
          archs,
          `a list of at most ${this.options.perBin} archs`,
        );
      }
      return archs.map((arch: ArchConfig) => {
        const mflops = isValidArch(this.space, arch) ? this.mflopsOf(arch) : Number.NaN;
        if (flopsBin(this.binEdges, mflops) !== bin) {
          throw new SamplerError(
            sampler,
            `state.table[${bin}]`,
            arch,
            `archs of this space whose MFLOPs fall in bin ${bin}`,
          );
        }
        return { arch, mflops };
      });
    });
  }

  private mflopsOf(arch: ArchConfig): number {
    const { numClasses, inputChannels } = this.options;
    return countFlops(this.space, arch, { numClasses, inputChannels }).flops / 1e6;
  }
}
