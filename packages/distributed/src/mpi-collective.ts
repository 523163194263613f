import type { Collective, FloatArray, ReduceOp, TypedArray } from './collective.js';
import {
  CollectiveFailedError,
  type CollectiveFailureDetails,
  CollectiveStateError,
  CollectiveTimeoutError,
  InvalidCollectiveArgumentError,
  MpiUnavailableError,
} from './errors.js';
import { type CollectiveKind, loadAddon, type MpiAddon, type NativeOutcome } from './load-addon.js';
import { peerStatus } from './peer-status.js';
import {
  checkFloatArray,
  checkReduceOp,
  checkRoot,
  checkTypedArray,
  gatherTarget,
} from './validate.js';

/** The default watchdog timeout of one collective, in seconds. */
export const defaultCollectiveTimeoutSeconds = 600;

export interface MpiCollectiveOptions {
  /**
   * How long one collective may wait for the other ranks before the job is ended, in seconds
   * (default `SUPERNAS_COLLECTIVE_TIMEOUT` from the environment, else 600). A rank that writes a
   * checkpoint while the others wait at the next allreduce must fit in it. 0: no watchdog.
   */
  readonly timeoutSeconds?: number;
  /**
   * What a timed-out or failed collective does. `'abort'` (the default) prints the error and
   * ends every rank of the job through `MPI_Abort`: the collective cannot be cancelled, so this
   * process could neither go on nor finalize. `'throw'` rejects with the error and leaves ending
   * the process (with a non-zero code; it cannot finalize) to the caller.
   */
  readonly onFailure?: 'abort' | 'throw';
  /** The exit code `'abort'` passes to `MPI_Abort` (default 1). */
  readonly abortCode?: number;
  /** Where `'abort'` reports the error first (default: one line on stderr). */
  readonly report?: (error: CollectiveTimeoutError | CollectiveFailedError) => void;
}

/** An MPI collective: the `Collective` calls, and blocking `*Sync` ones that hold the JS thread. */
export interface MpiCollective extends Collective {
  readonly transport: 'mpi';
  /** `Open MPI v4.1.4, ...` */
  readonly library: string;
  readonly host: string;
  allreduceSync<T extends FloatArray>(buffer: T, op: ReduceOp): T;
  broadcastSync<T extends TypedArray>(buffer: T, root?: number): T;
  allgatherSync<T extends TypedArray>(buffer: T): T;
  barrierSync(): void;
  /**
   * Ends every rank of the job now (`MPI_Abort` with `code`): for a rank that failed on its own
   * (bad input, a full disk) while the others may be waiting in a collective, which it could
   * neither join nor finalize past. Report the error first.
   */
  abort(code: number): never;
}

let created: MpiCollective | undefined;

function timeoutFromEnvironment(environment: NodeJS.ProcessEnv): number {
  const text = environment.SUPERNAS_COLLECTIVE_TIMEOUT;
  if (text === undefined || text === '') return defaultCollectiveTimeoutSeconds;
  const value = Number(text);
  if (!(Number.isFinite(value) && value >= 0))
    throw new InvalidCollectiveArgumentError(
      'mpiCollective',
      'SUPERNAS_COLLECTIVE_TIMEOUT',
      text,
      'a number of seconds >= 0',
    );
  return value;
}

/**
 * Joins the MPI job this process was started in (`MPI_Init_thread` on the first call; later
 * calls return the same collective). `MPI_Finalize` runs on `close()` or at exit. Outside
 * mpirun it is a job of one.
 *
 * Each collective runs non-blocking inside MPI, polled against the watchdog's deadline. Before
 * starting one, a rank tells every other rank its sequence number, so a rank that times out
 * names the ranks that never arrived. When mpirun ends the job (it sends SIGTERM to every rank
 * once one dies), a rank waiting in a collective says so on stderr before it exits.
 */
export function mpiCollective(options: MpiCollectiveOptions = {}): MpiCollective {
  if (created !== undefined) return created;
  const loaded = loadAddon();
  if ('reason' in loaded) throw new MpiUnavailableError(loaded.reason);
  const addon: MpiAddon = loaded.addon;
  const timeoutSeconds = options.timeoutSeconds ?? timeoutFromEnvironment(process.env);
  if (!(Number.isFinite(timeoutSeconds) && timeoutSeconds >= 0))
    throw new InvalidCollectiveArgumentError(
      'mpiCollective',
      'timeoutSeconds',
      timeoutSeconds,
      'a number of seconds >= 0',
    );
  const onFailure = options.onFailure ?? 'abort';
  const report =
    options.report ??
    ((error: CollectiveTimeoutError | CollectiveFailedError) => {
      process.stderr.write(`supernas distributed: ${error.message}\n`);
    });
  const info = addon.init();
  const { rank, size } = info;

  let sequence = 0;
  let inFlight: { operation: string; sequence: number; startedAt: number } | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  const onSigterm = () => {
    if (inFlight !== undefined) {
      const waitedSeconds = (performance.now() - inFlight.startedAt) / 1000;
      const { missingRanks, silentRanks } = peerStatus(
        rank,
        inFlight.sequence,
        addon.lastSeen(),
        addon.silentSeconds(),
        waitedSeconds,
      );
      process.stderr.write(
        `supernas distributed: rank ${rank} of ${size}: terminated by SIGTERM after waiting ${waitedSeconds.toFixed(1)} s in ${inFlight.operation} #${inFlight.sequence}` +
          (missingRanks.length > 0
            ? `; rank ${missingRanks.join(', ')} never reached it`
            : silentRanks.length > 0
              ? `; rank ${silentRanks.join(', ')} reached it, then went silent`
              : '; every rank had reached it') +
          ' (mpirun ends every rank once one dies or exits early; its message names that rank)\n',
      );
      process.exit(143);
    }
    // With no other listener, SIGTERM keeps its default meaning: end the process.
    if (process.listenerCount('SIGTERM') === 1) process.exit(143);
  };
  process.on('SIGTERM', onSigterm);

  const fail = (kind: CollectiveKind, number: number, outcome: NativeOutcome): never => {
    const lastSeen = outcome.lastSeen ?? [];
    const silentSeconds = outcome.silentSeconds ?? [];
    const details: CollectiveFailureDetails = {
      rank,
      size,
      operation: kind,
      sequence: number,
      seconds: outcome.seconds,
      ...peerStatus(rank, number, lastSeen, silentSeconds, outcome.seconds),
      lastSeen,
      silentSeconds,
    };
    const error =
      outcome.status === 'timeout'
        ? new CollectiveTimeoutError(details)
        : new CollectiveFailedError(details, outcome.error ?? 'unknown MPI error');
    if (onFailure === 'abort') {
      report(error);
      addon.abort(options.abortCode ?? 1);
    }
    throw error;
  };

  const begin = (kind: CollectiveKind) => {
    if (closed) throw new CollectiveStateError(`${kind}: the MPI collective was closed`);
    if (inFlight !== undefined)
      throw new CollectiveStateError(
        `${kind}Sync: ${inFlight.operation} #${inFlight.sequence} is still in flight; await it first`,
      );
    return sequence++;
  };

  const runSync = (kind: CollectiveKind, buffer: ArrayBufferView | null, extra: unknown): void => {
    const number = begin(kind);
    const outcome = addon.collective(kind, buffer, extra as null, timeoutSeconds, number);
    if (outcome.status !== 'done') fail(kind, number, outcome);
  };

  // Queued: each call starts once the previous one has settled, so calls made without awaiting
  // still reach MPI in program order.
  const runAsync = (
    kind: CollectiveKind,
    buffer: ArrayBufferView | null,
    extra: unknown,
  ): Promise<void> => {
    if (closed)
      return Promise.reject(new CollectiveStateError(`${kind}: the MPI collective was closed`));
    const next = tail.then(async () => {
      const number = begin(kind);
      inFlight = { operation: kind, sequence: number, startedAt: performance.now() };
      try {
        const outcome = await addon.collectiveAsync(
          kind,
          buffer,
          extra as null,
          timeoutSeconds,
          number,
        );
        if (outcome.status !== 'done') fail(kind, number, outcome);
      } finally {
        inFlight = undefined;
      }
    });
    tail = next.catch(() => undefined);
    return next;
  };

  created = {
    rank,
    size,
    transport: 'mpi',
    library: info.library,
    host: info.host,
    async allreduce<T extends FloatArray>(buffer: T, op: ReduceOp): Promise<T> {
      checkFloatArray('allreduce', buffer);
      checkReduceOp(op);
      await runAsync('allreduce', buffer, op);
      return buffer;
    },
    async broadcast<T extends TypedArray>(buffer: T, root = 0): Promise<T> {
      checkTypedArray('broadcast', buffer);
      checkRoot(root, size);
      await runAsync('broadcast', buffer, root);
      return buffer;
    },
    async allgather<T extends TypedArray>(buffer: T): Promise<T> {
      checkTypedArray('allgather', buffer);
      const gathered = gatherTarget(buffer, size);
      await runAsync('allgather', buffer, gathered);
      return gathered;
    },
    async barrier(): Promise<void> {
      await runAsync('barrier', null, null);
    },
    allreduceSync<T extends FloatArray>(buffer: T, op: ReduceOp): T {
      checkFloatArray('allreduceSync', buffer);
      checkReduceOp(op);
      runSync('allreduce', buffer, op);
      return buffer;
    },
    broadcastSync<T extends TypedArray>(buffer: T, root = 0): T {
      checkTypedArray('broadcastSync', buffer);
      checkRoot(root, size);
      runSync('broadcast', buffer, root);
      return buffer;
    },
    allgatherSync<T extends TypedArray>(buffer: T): T {
      checkTypedArray('allgatherSync', buffer);
      const gathered = gatherTarget(buffer, size);
      runSync('allgather', buffer, gathered);
      return gathered;
    },
    barrierSync(): void {
      runSync('barrier', null, null);
    },
    abort(code: number): never {
      return addon.abort(code);
    },
    async close(): Promise<void> {
      if (closed) return;
      await tail;
      closed = true;
      process.off('SIGTERM', onSigterm);
      addon.finalize();
    },
  };
  return created;
}
