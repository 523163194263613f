import { describeRequiring } from '@supernas/test-utils';
import { describe, expect, it } from 'vitest';
import { mpiMissingReason, runUnderMpirun } from './mpi-harness.js';

function valuesOf(peer: number, length: number): number[] {
  return Array.from(
    { length },
    (_, index) => Math.sin(peer * 1000 + index * 7.3) * 10 ** (index % 5),
  );
}

/** The reduction one process computes over every rank's values, rounded as the buffer's type. */
function localReduction(op: string, ranks: number, round: (value: number) => number): number[] {
  const columns = Array.from({ length: ranks }, (_, peer) => valuesOf(peer, 37).map(round));
  return columns[0]!.map((_, index) => {
    const values = columns.map((column) => column[index]!);
    if (op === 'max') return Math.max(...values);
    if (op === 'min') return Math.min(...values);
    const sum = values.reduce((total, value) => round(total + value));
    return op === 'mean' ? round(sum / ranks) : sum;
  });
}

describeRequiring('mpi', mpiMissingReason(), 'mpiCollective under mpirun', () => {
  describe.each([2, 3, 4])('on %i ranks', (ranks) => {
    const run = runUnderMpirun('collectives.mjs', { ranks });
    const { results } = run;

    it('runs every rank to a clean exit', () => {
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.status).toBe(0);
      expect(results.map((result) => [result.rank, result.size, result.transport])).toEqual(
        Array.from({ length: ranks }, (_, rank) => [rank, ranks, 'mpi']),
      );
      expect(results[0]!.library).toMatch(/Open MPI/);
    });

    it.each(['sum', 'mean', 'max', 'min'])(
      'allreduces %s like a local reduction, the same on every rank',
      (op) => {
        // Two ranks add once, so the result is exact; three add in an order MPI picks.
        const tolerance = ranks === 2 ? 0 : 1e-5;
        const f32 = localReduction(op, ranks, Math.fround);
        const f64 = localReduction(op, ranks, (value) => value);
        for (const result of results) {
          const got32 = result[`f32-${op}`] as number[];
          const got64 = result[`f64-${op}`] as number[];
          for (const [index, value] of got32.entries()) {
            const expected = f32[index]!;
            expect(Math.abs(value - expected)).toBeLessThanOrEqual(
              tolerance * Math.max(1, Math.abs(expected)),
            );
          }
          for (const [index, value] of got64.entries()) {
            const expected = f64[index]!;
            expect(Math.abs(value - expected)).toBeLessThanOrEqual(
              1e-12 * Math.max(1, Math.abs(expected)),
            );
          }
          expect(got32).toEqual(results[0]![`f32-${op}`]);
          expect(got64).toEqual(results[0]![`f64-${op}`]);
        }
      },
    );

    it('allreduces a large buffer exactly', () => {
      for (const result of results) expect(result.largeMismatches).toBe(0);
    });

    it('runs the blocking allreduce like the queued one', () => {
      for (const result of results) expect(result.syncMean).toEqual(result['f32-mean']);
    });

    it('broadcasts the root rank buffer to every rank', () => {
      for (const result of results) {
        expect(result.broadcast).toEqual([42, 42, 42, 42, 42]);
        expect(result.broadcastSync).toEqual([0.5]);
      }
    });

    it('allgathers every rank buffer in rank order', () => {
      const expected = Array.from({ length: ranks }, (_, rank) => [
        rank,
        rank * 10,
        rank + 100,
      ]).flat();
      for (const result of results) {
        expect(result.allgather).toEqual(expected);
        expect(result.allgatherSync).toEqual(Array.from({ length: ranks }, (_, rank) => rank + 1));
      }
    });

    it('waits at the barrier for the last rank', () => {
      for (const result of results) expect(result.barrierMs as number).toBeGreaterThan(250);
    });

    it('keeps unawaited calls in program order', () => {
      const sum = (ranks * (ranks - 1)) / 2;
      for (const result of results) expect(result.queued).toEqual([sum, 1]);
    });
  });
});
