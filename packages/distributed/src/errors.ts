import { SupernasError } from '@supernas/errors';

/** The Open MPI addon is not built or does not load; `reason` names the cause and the fix. */
export class MpiUnavailableError extends SupernasError {
  constructor(readonly reason: string) {
    super(`Open MPI is unavailable: ${reason}`, { code: 'mpi_unavailable' });
  }
}

/** An argument of a collective call is not what it needs (type, length, root rank). */
export class InvalidCollectiveArgumentError extends SupernasError {
  constructor(
    readonly operation: string,
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${operation}: ${argument} must be ${expected}, but got ${describe(value)}`, {
      code: 'invalid_collective_argument',
    });
  }
}

/** A collective was called while another is in flight, or after `close()`. */
export class CollectiveStateError extends SupernasError {
  constructor(message: string) {
    super(message, { code: 'collective_state' });
  }
}

export interface CollectiveFailureDetails {
  /** This process's rank and the job's size. */
  readonly rank: number;
  readonly size: number;
  readonly operation: string;
  /** The collective's sequence number on this rank (the same on every rank for the same call). */
  readonly sequence: number;
  readonly seconds: number;
  /** Ranks that never announced this collective: dead, hung or out of step. */
  readonly missingRanks: readonly number[];
  /** The last collective each rank announced (-1: none yet). */
  readonly lastSeen: readonly number[];
  /**
   * Ranks that reached this collective but went silent inside it: a rank waiting in a collective
   * re-announces it four times a second, so one not heard from for a while was stopped, hung or
   * starved of CPU there. Empty where every rank was heard from lately.
   */
  readonly silentRanks?: readonly number[];
  /** Seconds since each rank was last heard from (-1: never; 0 for this rank). */
  readonly silentSeconds?: readonly number[];
}

function silentText(details: CollectiveFailureDetails): string | undefined {
  const silent = details.silentRanks ?? [];
  if (silent.length === 0) return undefined;
  const named = silent
    .map((peer) => {
      const seconds = details.silentSeconds?.[peer] ?? -1;
      return `rank ${peer} (at #${details.sequence}, silent for ${seconds.toFixed(1)} s)`;
    })
    .join(', ');
  return `waiting for ${named}: reached it, then went silent (stopped, hung or starved of CPU)`;
}

function missingText(details: CollectiveFailureDetails): string {
  const { missingRanks, lastSeen, sequence } = details;
  if (missingRanks.length === 0) return silentText(details) ?? 'every rank had reached it';
  const named = missingRanks
    .map((peer) => {
      const last = lastSeen[peer] ?? -1;
      return `rank ${peer} (${last < 0 ? 'no collective yet' : `last at #${last}`})`;
    })
    .join(', ');
  return `waiting for ${named}: never reached #${sequence} (dead, hung or out of step)`;
}

/** A collective did not complete within the watchdog's timeout. */
export class CollectiveTimeoutError extends SupernasError {
  constructor(readonly details: CollectiveFailureDetails) {
    const { rank, size, operation, sequence, seconds } = details;
    super(
      `rank ${rank} of ${size}: ${operation} #${sequence} did not complete within ${seconds.toFixed(1)} s; ${missingText(details)}`,
      { code: 'collective_timeout' },
    );
  }
}

/** The transport reported an error during a collective (a lost connection, a failed peer). */
export class CollectiveFailedError extends SupernasError {
  constructor(
    readonly details: CollectiveFailureDetails,
    readonly transportMessage: string,
  ) {
    const { rank, size, operation, sequence } = details;
    super(
      `rank ${rank} of ${size}: ${operation} #${sequence} failed (${transportMessage}); ${missingText(details)}`,
      { code: 'collective_failed' },
    );
  }
}

function describe(value: unknown): string {
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${value.byteLength} bytes)`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}
