import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Collective,
  detectCollective,
  type MpiCollective,
  type MpiCollectiveOptions,
} from '@supernas/distributed';
import { broadcastVariables, type DataParallel, dataParallel } from '@supernas/distributed/tfjs';
import type { Supernet } from '@supernas/elastic';
import type { BatchSource } from '@supernas/trainer';
import type * as tf from '@tensorflow/tfjs-core';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { formatCliError } from '../format-cli-error.js';

/**
 * What `supernas train` needs to run as one rank of a data-parallel job (started by mpirun),
 * or alone: the collective, the trainer's `dataParallel` hook (absent alone, so a single process
 * runs exactly the code it always ran), and the rule that rank 0 writes.
 */
export interface DistributedRun {
  readonly collective: Collective;
  readonly rank: number;
  readonly size: number;
  /** Rank 0: the one rank that writes files, metrics and progress. */
  readonly isWriter: boolean;
  /** For `trainSupernet({ dataParallel })`; undefined in a job of one. */
  readonly dataParallel: DataParallel | undefined;
  /** Rank 0's output as it is; on other ranks stdout is dropped and stderr says which rank. */
  readonly io: CliIo;
}

/**
 * Joins the MPI job this process was started in (`detectCollective`), or runs alone. Says on
 * rank 0's stdout how many ranks share each global batch.
 */
export function startDistributedRun(
  io: CliIo,
  options: MpiCollectiveOptions & {
    readonly environment?: NodeJS.ProcessEnv;
    /** What the ranks share, for the banner (default: each global batch is split). */
    readonly sharing?: string;
  } = {},
): DistributedRun {
  const collective = detectCollective(options);
  const { rank, size } = collective;
  const rankIo: CliIo =
    rank === 0
      ? io
      : { stdout: () => undefined, stderr: (text) => io.stderr(`[rank ${rank}] ${text}`) };
  if (size > 1)
    rankIo.stdout(
      `distributed: ${size} ranks over ${collective.transport}; ${options.sharing ?? `each global batch is split ${size} ways`}, rank 0 writes\n`,
    );
  return {
    collective,
    rank,
    size,
    isWriter: rank === 0,
    dataParallel: size > 1 ? dataParallel(collective) : undefined,
    io: rankIo,
  };
}

/** The examples of each global batch one rank trains on; the global batch must split evenly. */
export function shardBatchSize(globalBatchSize: number, size: number): number {
  if (!(Number.isInteger(globalBatchSize) && globalBatchSize % size === 0))
    throw new CliUsageError(
      `data.batchSize ${globalBatchSize} does not split into ${size} equal shards (one per rank): use a multiple of ${size}`,
    );
  return globalBatchSize / size;
}

/**
 * This rank's shard (rows `[rank * n / size, (rank + 1) * n / size)`) of every batch of
 * `source`, which must yield the same global batches on every rank (the same seed). The state
 * stays the global source's, so a checkpoint resumes with any number of ranks that divides the
 * global batch.
 */
export function shardBatches<State>(
  source: BatchSource<State>,
  rank: number,
  size: number,
): BatchSource<State> {
  if (size === 1) return source;
  return {
    async next() {
      const batch = await source.next();
      if (batch === null) return null;
      const [count, height, width, channels] = batch.shape;
      const per = shardBatchSize(count, size);
      const pixels = height * width * channels;
      return {
        images: batch.images.slice(rank * per * pixels, (rank + 1) * per * pixels),
        labels: batch.labels.slice(rank * per, (rank + 1) * per),
        shape: [per, height, width, channels],
      };
    },
    state: () => source.state(),
  };
}

/**
 * Gives every rank rank 0's weights (a fresh run: the seeds already agree, this makes sure), or,
 * after every rank restored the same checkpoint, checks that they agree, naming the ranks that
 * do not.
 */
export async function syncSupernet(
  supernet: Supernet,
  run: DistributedRun,
  mode: 'broadcast' | 'check',
): Promise<void> {
  if (run.size === 1) return;
  if (mode === 'broadcast') {
    await broadcastVariables(supernet.variables, run.collective, 0);
    return;
  }
  const digests = await allgatherJson(run.collective, weightsDigest(supernet.variables));
  const differing = digests.flatMap((digest, peer) => (digest === digests[0] ? [] : [peer]));
  if (differing.length > 0)
    throw new CliUsageError(
      `rank ${differing.join(', ')} restored different weights from rank 0's: every rank must read the same checkpoint (a shared folder)`,
    );
}

/**
 * Checks that every rank has the same `value` of `what` (the backend, the config), naming the
 * ranks that differ: ranks that compute differently drift apart, and their weights with them.
 */
export async function checkSameOnEveryRank(
  run: Pick<DistributedRun, 'collective' | 'size'>,
  what: string,
  value: string,
): Promise<void> {
  if (run.size === 1) return;
  const values = await allgatherJson(run.collective, value);
  const differing = values.flatMap((other, peer) => (other === values[0] ? [] : [peer]));
  if (differing.length > 0)
    throw new CliUsageError(
      `${what} differs between ranks: rank 0 has '${values[0]}', ${differing.map((peer) => `rank ${peer} '${values[peer]}'`).join(', ')}; every rank must compute alike for the weights to stay identical`,
    );
}

/**
 * How many ranks mpirun started on this host (`OMPI_COMM_WORLD_LOCAL_SIZE`, 1 outside mpirun):
 * divide the cores by it for each rank's compute threads.
 */
export function ranksOnThisHost(environment: NodeJS.ProcessEnv = process.env): number {
  const count = Number(environment.OMPI_COMM_WORLD_LOCAL_SIZE);
  return Number.isInteger(count) && count > 0 ? count : 1;
}

/** SHA-256 of every variable's values, in name order. */
export function weightsDigest(variables: ReadonlyMap<string, tf.Variable>): string {
  const hash = createHash('sha256');
  for (const name of [...variables.keys()].sort()) {
    hash.update(name);
    hash.update(variables.get(name)!.dataSync() as Float32Array);
  }
  return hash.digest('hex');
}

/**
 * Runs `work` on this rank's share of `items` (round robin) and gives every rank all the
 * results, in the order of `items` (they travel as JSON). For evaluation: each rank calibrates BN
 * and tests whole subnets, so each result equals what one process computes.
 */
export async function fanOut<T, R>(
  run: Pick<DistributedRun, 'collective' | 'rank' | 'size'>,
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const mine: Array<[number, R]> = [];
  for (let index = run.rank; index < items.length; index += run.size)
    mine.push([index, await work(items[index]!, index)]);
  if (run.size === 1) return mine.map(([, result]) => result);
  const results: R[] = new Array(items.length);
  for (const part of await allgatherJson(run.collective, mine))
    for (const [index, result] of part) results[index] = result;
  return results;
}

/**
 * `fanOut` in rounds of one item per rank, calling `onRound` on every rank with each round's
 * results (in the order of `items`) and how many items are done: rank 0 saves or reports each
 * round, so an interrupted job loses at most the round it was in. Alone, a round is one item.
 */
export async function fanOutInRounds<T, R>(
  run: Pick<DistributedRun, 'collective' | 'rank' | 'size'>,
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  onRound: (results: readonly R[], done: number) => Promise<void> | void,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += run.size) {
    const round = await fanOut(run, items.slice(start, start + run.size), (item, offset) =>
      work(item, start + offset),
    );
    results.push(...round);
    await onRound(round, results.length);
  }
  return results;
}

/** `action` on rank 0 only (files, metrics, progress); other ranks skip it. */
export function writerOnly<Args extends unknown[]>(
  run: Pick<DistributedRun, 'isWriter'>,
  action: (...args: Args) => void | Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args) => {
    if (run.isWriter) await action(...args);
  };
}

/** The items this rank handles when `items` are fanned out over the ranks (round robin). */
export function shareOf<T>(items: readonly T[], rank: number, size: number): T[] {
  return items.filter((_, index) => index % size === rank);
}

/** Every rank's `value` (JSON), in rank order. */
export async function allgatherJson<T>(collective: Collective, value: T): Promise<T[]> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const lengths = await collective.allgather(new Float64Array([bytes.length]));
  const longest = Math.max(...lengths);
  const padded = new Uint8Array(longest);
  padded.set(bytes);
  const gathered = await collective.allgather(padded);
  const decoder = new TextDecoder();
  return Array.from(lengths, (length, peer) =>
    JSON.parse(decoder.decode(gathered.subarray(peer * longest, peer * longest + length))),
  );
}

/** The root rank's `value` (JSON) on every rank. */
export async function broadcastJson<T>(collective: Collective, value: T, root = 0): Promise<T> {
  const bytes = new TextEncoder().encode(collective.rank === root ? JSON.stringify(value) : '');
  const [length] = await collective.broadcast(new Float64Array([bytes.length]), root);
  const buffer = new Uint8Array(length!);
  if (collective.rank === root) buffer.set(bytes);
  await collective.broadcast(buffer, root);
  return JSON.parse(new TextDecoder().decode(buffer)) as T;
}

/** A job of one (`localCollective`): what a run without mpirun, or a test, trains with. */
export function localRun(io: CliIo): DistributedRun {
  return startDistributedRun(io, { environment: {} });
}

/**
 * Rank 0 does `work` (prepare the run folder, say) and every rank gets its result. When it
 * fails, rank 0 rethrows its error and the other ranks throw one that quotes it, instead of
 * waiting for a result that never comes.
 */
export async function resultOfWriter<T>(
  run: Pick<DistributedRun, 'collective' | 'rank' | 'size'>,
  work: () => Promise<T>,
): Promise<T> {
  if (run.size === 1) return work();
  let outcome: { value: T } | { error: string } | undefined;
  let failure: unknown;
  if (run.rank === 0) {
    try {
      outcome = { value: await work() };
    } catch (error) {
      failure = error;
      outcome = { error: (error as Error)?.message ?? String(error) };
    }
  }
  const shared = await broadcastJson(run.collective, outcome);
  if (run.rank === 0 && failure !== undefined) throw failure;
  if (shared === undefined || 'error' in shared)
    throw new CliUsageError(`rank 0 failed: ${shared?.error ?? 'no result'}`);
  return shared.value;
}

/**
 * Compute threads for one rank: the host's cores shared by the ranks mpirun started on it, so
 * ranks do not oversubscribe the cores (each rank's kernels would otherwise start a thread per
 * core).
 */
export function threadsPerRank(cores: number, ranksHere: number): number {
  return Math.max(1, Math.floor(cores / Math.max(1, ranksHere)));
}

/**
 * Before the backend loads: unless the user set `OMP_NUM_THREADS`, gives the OpenMP kernels
 * (the native backend's oneDNN) this rank's share of the cores. Returns the thread count set, or
 * undefined when nothing was changed (a job of one, or the user's own setting).
 */
export function shareCoresBetweenRanks(
  run: Pick<DistributedRun, 'size'>,
  cores: number,
  environment: NodeJS.ProcessEnv = process.env,
): number | undefined {
  if (run.size === 1 || environment.OMP_NUM_THREADS !== undefined) return undefined;
  const threads = threadsPerRank(cores, ranksOnThisHost(environment));
  environment.OMP_NUM_THREADS = String(threads);
  return threads;
}

/**
 * Test hook: with `SUPERNAS_TEST_WEIGHTS_DIR` set, every rank writes the SHA-256 of its weights
 * to `rank-<rank>.sha256` there, so a test of a run under mpirun compares the ranks' weights.
 */
export async function writeWeightsDigestForTests(
  supernet: Supernet,
  run: Pick<DistributedRun, 'rank'>,
  environment: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const folder = environment.SUPERNAS_TEST_WEIGHTS_DIR;
  if (folder === undefined || folder === '') return;
  await writeFile(
    join(folder, `rank-${run.rank}.sha256`),
    `${weightsDigest(supernet.variables)}\n`,
  );
}

/**
 * For a rank that failed with `error` in a job of several: prints it (one line, naming the rank)
 * and ends every rank through `MPI_Abort`. Exiting normally would not end the job: at exit MPI
 * waits for the ranks that still expect this one in a collective. A job of one does nothing.
 */
export function endJobOnError(
  run: Pick<DistributedRun, 'collective' | 'size' | 'io'>,
  error: unknown,
  verbose = false,
): void {
  if (run.size === 1 || run.collective.transport !== 'mpi') return;
  run.io.stderr(formatCliError(error, verbose));
  (run.collective as MpiCollective).abort(1);
}

/**
 * Before the backend loads: unless the user or the launcher chose (`CUDA_VISIBLE_DEVICES` set,
 * as `srun --gpus-per-task` does), shows each rank of a job only the GPU numbered like its rank
 * on this host (`OMPI_COMM_WORLD_LOCAL_RANK`): one rank per GPU, as on a server with several.
 * Returns the device set, or undefined when nothing was changed.
 */
export function oneGpuPerRank(
  run: Pick<DistributedRun, 'size'>,
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const localRank = environment.OMPI_COMM_WORLD_LOCAL_RANK;
  if (run.size === 1 || environment.CUDA_VISIBLE_DEVICES !== undefined || localRank === undefined)
    return undefined;
  environment.CUDA_VISIBLE_DEVICES = localRank;
  return localRank;
}
