/**
 * The phases a training run's wall time is split into. The trainer fills the first seven, the
 * app the rest; every phase is wall-clock seconds summed over the run (this process's part of a
 * resumed run).
 */
export type RunPhase =
  /** Waiting for the next batch from the data pipeline. */
  | 'data'
  /**
   * Sampling beyond the passes run inside it: the sampler's own draws, and the event-loop
   * yields between subnets when the loop watches an abort signal.
   */
  | 'sampling'
  /** The attentive sampler's ranking forwards (one per candidate, no gradients). */
  | 'ranking'
  /** Forward and backward passes of the sandwich's subnets, gradients summed. */
  | 'training'
  /** Gradient clipping and the SGD update. */
  | 'optimizer'
  /** Per-step records: metrics.jsonl, the progress display, the caller's `onStep`. */
  | 'records'
  /** Checkpoint writes. */
  | 'checkpoint'
  /** Before the first step: backend, data sets, supernet, the sampler's FLOPs prior. */
  | 'setup'
  /** BN calibration of the evaluated subnets. */
  | 'calibration'
  /** Test-split passes of the evaluated subnets. */
  | 'evaluation'
  /** results.json and the charts. */
  | 'charts';

/** Wall-clock seconds per phase of a run, summed over every time the phase was entered. */
export class PhaseTimes {
  private readonly totals = new Map<RunPhase, number>();

  add(phase: RunPhase, seconds: number): void {
    this.totals.set(phase, (this.totals.get(phase) ?? 0) + seconds);
  }

  /** Seconds recorded for `phase` so far (0 if none). */
  get(phase: RunPhase): number {
    return this.totals.get(phase) ?? 0;
  }

  /** Runs `work` and adds its wall time to `phase`, also when it throws. */
  async time<T>(phase: RunPhase, work: () => Promise<T>): Promise<T> {
    const startedAt = performance.now();
    try {
      return await work();
    } finally {
      this.add(phase, (performance.now() - startedAt) / 1000);
    }
  }

  /** The synchronous form of `time`. */
  timeSync<T>(phase: RunPhase, work: () => T): T {
    const startedAt = performance.now();
    try {
      return work();
    } finally {
      this.add(phase, (performance.now() - startedAt) / 1000);
    }
  }

  /** Every phase entered, in the order first entered, as plain data (results.json). */
  toJSON(): Partial<Record<RunPhase, number>> {
    return Object.fromEntries(this.totals);
  }
}
