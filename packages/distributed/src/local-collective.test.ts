import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import { localCollective } from './local-collective.js';

describe('localCollective', () => {
  it('is a job of one whose reductions leave the buffer as it is', async () => {
    const collective = localCollective();
    expect([collective.rank, collective.size, collective.transport]).toEqual([0, 1, 'local']);
    const buffer = new Float32Array([1.5, -2, 3]);
    for (const op of ['sum', 'mean', 'max', 'min'] as const) {
      expect(await collective.allreduce(buffer, op)).toBe(buffer);
      expect(Array.from(buffer)).toEqual([1.5, -2, 3]);
    }
  });

  it('broadcasts from rank 0 and gathers a copy of the buffer', async () => {
    const collective = localCollective();
    const buffer = new Int32Array([4, 5]);
    expect(await collective.broadcast(buffer)).toBe(buffer);
    const gathered = await collective.allgather(buffer);
    expect(gathered).not.toBe(buffer);
    expect(gathered).toBeInstanceOf(Int32Array);
    expect(Array.from(gathered)).toEqual([4, 5]);
    await expect(collective.barrier()).resolves.toBeUndefined();
  });

  it('rejects bad arguments with errors that name them', async () => {
    const collective = localCollective();
    await expect(collective.allreduce(new Int32Array(2) as never, 'sum')).rejects.toThrow(
      'allreduce: buffer must be a Float32Array or Float64Array, but got Int32Array(8 bytes)',
    );
    await expect(collective.allreduce(new Float32Array(2), 'prod' as never)).rejects.toThrow(
      "allreduce: op must be one of sum, mean, max, min, but got 'prod'",
    );
    await expect(collective.broadcast(new Float32Array(2), 1)).rejects.toThrow(
      'broadcast: root must be a rank in [0, 1), but got 1',
    );
    const error = await collective.broadcast(new Float32Array(2), -1).catch((caught) => caught);
    expect(SupernasError.hasCode(error, 'invalid_collective_argument')).toBe(true);
  });

  it('refuses calls after close', async () => {
    const collective = localCollective();
    await collective.close();
    const error = await collective.barrier().catch((caught) => caught);
    expect(SupernasError.hasCode(error, 'collective_state')).toBe(true);
    expect(error.message).toBe('barrier: the local collective was closed');
  });
});
