import type { ArchConfig } from '@supernas/search-space';

/**
 * Scores candidate archs for the attentive sampler, lower is better: the trainer passes the
 * no-grad loss of each candidate on the current mini-batch, or a predictor's error estimate.
 * Returns one number per arch, in order.
 */
export type RankArchs = (
  archs: readonly ArchConfig[],
  context: SampleContext,
) => Promise<readonly number[]> | readonly number[];

/** What a training step tells its sampler. */
export interface SampleContext {
  /** Training step, for logs and for rank callbacks that look at the current batch. */
  readonly step?: number;
  /** Overrides the attentive sampler's `rank` for this step (e.g. bound to this step's batch). */
  readonly rank?: RankArchs;
  /**
   * Set by the attentive sampler when it calls `rank`: the score it will keep, the first lowest
   * (BestUp) or the first highest (WorstUp). A trainer can then train the candidate it expects
   * while ranking (see `@supernas/trainer`); the sampler's choice still decides.
   */
  readonly prefer?: 'lowest' | 'highest';
}

/** Subnet MFLOPs counted into bins: bin i is [binEdges[i], binEdges[i+1]), the last closed. */
export interface FlopsHistogram {
  readonly binEdges: readonly number[];
  readonly counts: readonly number[];
  /** Archs whose MFLOPs fall outside the edges (a prior built for another numClasses). */
  readonly outOfRange: number;
}

/** What a sampler has sampled so far, for the training log. Counters not used by a kind stay 0. */
export interface SamplerStats {
  readonly sampler: string;
  /** `sample()` calls. */
  readonly calls: number;
  /** Archs returned. */
  readonly archs: number;
  /** MFLOPs of the returned archs, when the sampler knows bins (attentive, or given them). */
  readonly flopsHistogram: FlopsHistogram | null;
  /** Attentive: archs drawn and FLOPs-counted while looking for candidates in a target bin. */
  readonly candidateDraws: number;
  /** Attentive: candidates taken in their target bin (each from a draw of its own). */
  readonly acceptedDraws: number;
  /** Attentive: candidates produced (accepted or fallback). */
  readonly candidates: number;
  /** Attentive: candidates taken outside the target bin because `maxTries` ran out. */
  readonly fallbacks: number;
  /** Attentive: calls of the rank callback. */
  readonly rankCalls: number;
  /** Sandwich: the inner sampler's stats. */
  readonly inner: SamplerStats | null;
}

/** Everything a resumed run needs to continue the exact same sequence. JSON-serialisable. */
export interface SamplerState {
  readonly sampler: string;
  /** `Rng.state()` of the sampler's generator, or null for a sampler without one. */
  readonly rng: readonly number[] | null;
  readonly stats: SamplerStats;
  readonly inner: SamplerState | null;
  /** Attentive: the archs waiting in its arch table, per FLOPs bin; absent or null without one. */
  readonly table?: readonly (readonly ArchConfig[])[] | null;
}

export interface Sampler {
  /** 'uniform', 'sandwich', 'attentive-best' or 'attentive-worst'. */
  readonly name: string;
  /** The archs to train in one step. */
  sample(context?: SampleContext): Promise<ArchConfig[]>;
  /**
   * The arch every `sample()` starts with, when it is fixed: the sandwich rule's largest
   * subnet, the teacher. A trainer may train it before sampling the rest of the step.
   */
  readonly first?: ArchConfig;
  stats(): SamplerStats;
  /** A one-line summary of `stats()` for progress output. */
  report(): string;
  /** A snapshot to store in a checkpoint. */
  state(): SamplerState;
  /** Continues from a snapshot taken by a sampler of the same kind and configuration. */
  restore(state: SamplerState): void;
}
