import {
  type Collective,
  type FloatArray,
  localCollective,
  type TypedArray,
} from '@supernas/distributed';
import type { Supernet } from '@supernas/elastic';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import {
  allgatherJson,
  broadcastJson,
  checkSameOnEveryRank,
  type DistributedRun,
  endJobOnError,
  fanOut,
  fanOutInRounds,
  localRun,
  oneGpuPerRank,
  ranksOnThisHost,
  resultOfWriter,
  shardBatches,
  shardBatchSize,
  shareCoresBetweenRanks,
  shareOf,
  startDistributedRun,
  syncSupernet,
  threadsPerRank,
  weightsDigest,
  writerOnly,
  writeWeightsDigestForTests,
} from './distributed.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `size` collectives in one process whose allgather and broadcast meet like real ranks. */
function inProcessJob(size: number): Collective[] {
  const rounds = new Map<number, { buffers: TypedArray[]; arrived: number; done: () => void }>();
  const waits = new Map<number, Promise<void>>();
  const meet = async (rank: number, sequence: number, buffer: TypedArray) => {
    if (!rounds.has(sequence)) {
      let done = () => {};
      waits.set(sequence, new Promise<void>((resolve) => (done = resolve)));
      rounds.set(sequence, { buffers: [], arrived: 0, done: () => done() });
    }
    const round = rounds.get(sequence)!;
    round.buffers[rank] = buffer;
    round.arrived += 1;
    if (round.arrived === size) round.done();
    await waits.get(sequence);
    return round.buffers;
  };
  return Array.from({ length: size }, (_, rank) => {
    let sequence = 0;
    return {
      rank,
      size,
      transport: 'in-process',
      async allreduce<T extends FloatArray>(): Promise<T> {
        throw new Error('not used');
      },
      async broadcast<T extends TypedArray>(buffer: T, root = 0): Promise<T> {
        const buffers = await meet(rank, sequence++, buffer);
        (buffer as unknown as Uint8Array).set(buffers[root] as unknown as Uint8Array);
        return buffer;
      },
      async allgather<T extends TypedArray>(buffer: T): Promise<T> {
        const buffers = await meet(rank, sequence++, buffer);
        const Constructor = buffer.constructor as new (length: number) => T;
        const gathered = new Constructor(buffer.length * size);
        buffers.forEach((part, peer) => {
          (gathered as unknown as Float64Array).set(
            part as unknown as Float64Array,
            peer * buffer.length,
          );
        });
        return gathered;
      },
      async barrier() {},
      async close() {},
    };
  });
}

describe('startDistributedRun', () => {
  it('runs alone outside mpirun, with the single-process trainer path', () => {
    const io = captureIo();
    const run = startDistributedRun(io, { environment: {} });
    expect([run.rank, run.size, run.isWriter, run.collective.transport]).toEqual([
      0,
      1,
      true,
      'local',
    ]);
    expect(run.dataParallel).toBeUndefined();
    expect(run.io).toBe(io);
    expect(io.out()).toBe('');
  });
});

describe('shardBatchSize', () => {
  it('splits the global batch evenly or says which multiple to use', () => {
    expect(shardBatchSize(64, 4)).toBe(16);
    expect(() => shardBatchSize(10, 4)).toThrow(
      'data.batchSize 10 does not split into 4 equal shards (one per rank): use a multiple of 4',
    );
  });
});

describe('shardBatches', () => {
  const source = () => {
    let step = 0;
    return {
      async next() {
        step += 1;
        // 4 one-pixel images: values step*10 + row, labels = row.
        return {
          images: Float32Array.from([0, 1, 2, 3], (row) => step * 10 + row),
          labels: Int32Array.from([0, 1, 2, 3]),
          shape: [4, 1, 1, 1] as const,
        };
      },
      state: () => ({ step }),
    };
  };

  it("gives each rank its rows of every global batch, keeping the global source's state", async () => {
    const first = shardBatches(source(), 1, 2);
    const batch = await first.next();
    expect(Array.from(batch!.images)).toEqual([12, 13]);
    expect(Array.from(batch!.labels)).toEqual([2, 3]);
    expect(batch!.shape).toEqual([2, 1, 1, 1]);
    expect(first.state()).toEqual({ step: 1 });
    const second = await first.next();
    expect(Array.from(second!.images)).toEqual([22, 23]);
  });

  it('hands a job of one the source itself', () => {
    const whole = source();
    expect(shardBatches(whole, 0, 1)).toBe(whole);
  });
});

describe('shareOf', () => {
  it('fans items out round robin', () => {
    expect(shareOf(['a', 'b', 'c', 'd', 'e'], 1, 2)).toEqual(['b', 'd']);
    expect(shareOf(['a', 'b', 'c'], 0, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('allgatherJson and broadcastJson', () => {
  it('gather values of different lengths in rank order', async () => {
    const job = inProcessJob(3);
    const values = [{ top1: 0.5 }, { top1: 0.75, label: 'mid-1' }, []];
    const gathered = await Promise.all(
      job.map((collective, rank) => allgatherJson(collective, values[rank])),
    );
    for (const result of gathered) expect(result).toEqual(values);
  });

  it("broadcast the root's value", async () => {
    const job = inProcessJob(2);
    const received = await Promise.all(
      job.map((collective, rank) =>
        broadcastJson(collective, rank === 1 ? { samplerState: [1, 2] } : null, 1),
      ),
    );
    expect(received).toEqual([{ samplerState: [1, 2] }, { samplerState: [1, 2] }]);
  });

  it('work on a job of one', async () => {
    expect(await allgatherJson(localCollective(), 'x')).toEqual(['x']);
    expect(await broadcastJson(localCollective(), { a: 1 })).toEqual({ a: 1 });
  });
});

describe('syncSupernet', () => {
  it('names the ranks whose restored weights differ from rank 0', async () => {
    const job = inProcessJob(3);
    const supernets = [1, 1, 2].map(
      (value) =>
        ({ variables: new Map([['w', tf.variable(tf.fill([3], value))]]) }) as unknown as Supernet,
    );
    const runs = job.map(
      (collective, rank) => ({ collective, rank, size: 3 }) as unknown as DistributedRun,
    );
    const outcomes = await Promise.all(
      runs.map((run, rank) =>
        syncSupernet(supernets[rank]!, run, 'check').catch((error: Error) => error.message),
      ),
    );
    for (const outcome of outcomes)
      expect(outcome).toBe(
        "rank 2 restored different weights from rank 0's: every rank must read the same checkpoint (a shared folder)",
      );
    for (const supernet of supernets) tf.dispose([...supernet.variables.values()]);
  });
});

describe('fanOut', () => {
  it('runs each item on one rank and gives every rank all results in order', async () => {
    const job = inProcessJob(2);
    const items = ['min', 'mid-1', 'mid-2', 'max'];
    const ranAt: string[] = [];
    const results = await Promise.all(
      job.map((collective, rank) =>
        fanOut({ collective, rank, size: 2 }, items, async (label, index) => {
          ranAt.push(`${label}@${rank}`);
          return { label, index, top1: index / 10 };
        }),
      ),
    );
    expect(ranAt.sort()).toEqual(['max@1', 'mid-1@1', 'mid-2@0', 'min@0']);
    const expected = items.map((label, index) => ({ label, index, top1: index / 10 }));
    expect(results).toEqual([expected, expected]);
  });
});

describe('fanOutInRounds', () => {
  it('gives every rank each round of results as it ends, with the items done so far', async () => {
    const job = inProcessJob(2);
    const items = ['min', 'mid-1', 'mid-2', 'mid-3', 'max'];
    const rounds: string[][] = [[], []];
    const results = await Promise.all(
      job.map((collective, rank) =>
        fanOutInRounds(
          { collective, rank, size: 2 },
          items,
          async (label, index) => `${label}#${index}@${rank}`,
          (round, done) => {
            rounds[rank]!.push(`${round.join(' ')} (${done})`);
          },
        ),
      ),
    );
    const expected = ['min#0@0', 'mid-1#1@1', 'mid-2#2@0', 'mid-3#3@1', 'max#4@0'];
    expect(results).toEqual([expected, expected]);
    const perRound = ['min#0@0 mid-1#1@1 (2)', 'mid-2#2@0 mid-3#3@1 (4)', 'max#4@0 (5)'];
    expect(rounds).toEqual([perRound, perRound]);
  });
});

describe('writerOnly', () => {
  it('acts on rank 0 only', async () => {
    const written: string[] = [];
    const write = (text: string) => {
      written.push(text);
    };
    await writerOnly({ isWriter: true }, write)('rank 0');
    await writerOnly({ isWriter: false }, write)('rank 1');
    expect(written).toEqual(['rank 0']);
  });
});

describe('checkSameOnEveryRank', () => {
  it('names the ranks that differ from rank 0', async () => {
    const job = inProcessJob(3);
    const backends = ['native', 'native', 'cpu'];
    const outcomes = await Promise.all(
      job.map((collective, rank) =>
        checkSameOnEveryRank({ collective, size: 3 }, 'backend', backends[rank]!).catch(
          (error: Error) => error.message,
        ),
      ),
    );
    for (const outcome of outcomes)
      expect(outcome).toBe(
        "backend differs between ranks: rank 0 has 'native', rank 2 'cpu'; every rank must compute alike for the weights to stay identical",
      );
  });
});

describe('ranksOnThisHost', () => {
  it("reads mpirun's local size, 1 outside mpirun", () => {
    expect(ranksOnThisHost({ OMPI_COMM_WORLD_LOCAL_SIZE: '4' })).toBe(4);
    expect(ranksOnThisHost({})).toBe(1);
  });
});

describe('resultOfWriter', () => {
  it("gives every rank rank 0's result, running the work on rank 0 only", async () => {
    const job = inProcessJob(2);
    const ranAt: number[] = [];
    const results = await Promise.all(
      job.map((collective, rank) =>
        resultOfWriter({ collective, rank, size: 2 }, async () => {
          ranAt.push(rank);
          return `/runs/from-rank-${rank}`;
        }),
      ),
    );
    expect(ranAt).toEqual([0]);
    expect(results).toEqual(['/runs/from-rank-0', '/runs/from-rank-0']);
  });

  it("fails on every rank when rank 0's work fails, the others quoting its error", async () => {
    const job = inProcessJob(2);
    const failure = new Error('/runs/a holds a run with a checkpoint');
    const outcomes = await Promise.all(
      job.map((collective, rank) =>
        resultOfWriter({ collective, rank, size: 2 }, async () => {
          throw failure;
        }).catch((error: Error) => error),
      ),
    );
    expect(outcomes[0]).toBe(failure);
    expect((outcomes[1] as Error).message).toBe(
      'rank 0 failed: /runs/a holds a run with a checkpoint',
    );
  });

  it('runs the work directly in a job of one', async () => {
    expect(await resultOfWriter(localRun(captureIo()), async () => 7)).toBe(7);
  });
});

describe('threadsPerRank and shareCoresBetweenRanks', () => {
  it("divide the host's cores between the ranks on it, at least one each", () => {
    expect(threadsPerRank(16, 4)).toBe(4);
    expect(threadsPerRank(2, 4)).toBe(1);
    expect(threadsPerRank(8, 0)).toBe(8);
  });

  it('set OMP_NUM_THREADS for a rank of a job, unless the user set it or the job is one', () => {
    const environment: NodeJS.ProcessEnv = { OMPI_COMM_WORLD_LOCAL_SIZE: '2' };
    expect(shareCoresBetweenRanks({ size: 2 }, 8, environment)).toBe(4);
    expect(environment.OMP_NUM_THREADS).toBe('4');
    const own: NodeJS.ProcessEnv = { OMPI_COMM_WORLD_LOCAL_SIZE: '2', OMP_NUM_THREADS: '3' };
    expect(shareCoresBetweenRanks({ size: 2 }, 8, own)).toBeUndefined();
    expect(own.OMP_NUM_THREADS).toBe('3');
    const alone: NodeJS.ProcessEnv = {};
    expect(shareCoresBetweenRanks({ size: 1 }, 8, alone)).toBeUndefined();
    expect(alone.OMP_NUM_THREADS).toBeUndefined();
  });
});

describe('writeWeightsDigestForTests', () => {
  it("writes the rank's weights digest where SUPERNAS_TEST_WEIGHTS_DIR says, nothing otherwise", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'supernas-digest-'));
    const variables = new Map([['w', tf.variable(tf.tensor1d([1, 2, 3]))]]);
    const supernet = { variables } as unknown as Supernet;
    await writeWeightsDigestForTests(supernet, { rank: 1 }, { SUPERNAS_TEST_WEIGHTS_DIR: folder });
    await writeWeightsDigestForTests(supernet, { rank: 0 }, {});
    expect(await readFile(join(folder, 'rank-1.sha256'), 'utf8')).toBe(
      `${weightsDigest(variables)}\n`,
    );
    await expect(readFile(join(folder, 'rank-0.sha256'), 'utf8')).rejects.toThrow('ENOENT');
    expect(weightsDigest(variables)).toMatch(/^[0-9a-f]{64}$/);
    tf.dispose([...variables.values()]);
    await rm(folder, { recursive: true });
  });
});

describe('endJobOnError', () => {
  it('leaves a job of one to the usual error path', () => {
    const io = captureIo();
    endJobOnError(localRun(io), new Error('disk full'));
    expect(io.err()).toBe('');
  });
});

describe('oneGpuPerRank', () => {
  it('shows each rank the GPU of its local rank, unless a device was chosen or the job is one', () => {
    const environment: NodeJS.ProcessEnv = { OMPI_COMM_WORLD_LOCAL_RANK: '3' };
    expect(oneGpuPerRank({ size: 8 }, environment)).toBe('3');
    expect(environment.CUDA_VISIBLE_DEVICES).toBe('3');
    const chosen: NodeJS.ProcessEnv = {
      OMPI_COMM_WORLD_LOCAL_RANK: '1',
      CUDA_VISIBLE_DEVICES: '0',
    };
    expect(oneGpuPerRank({ size: 2 }, chosen)).toBeUndefined();
    expect(chosen.CUDA_VISIBLE_DEVICES).toBe('0');
    const alone: NodeJS.ProcessEnv = { OMPI_COMM_WORLD_LOCAL_RANK: '0' };
    expect(oneGpuPerRank({ size: 1 }, alone)).toBeUndefined();
    expect(alone.CUDA_VISIBLE_DEVICES).toBeUndefined();
  });
});
