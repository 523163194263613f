import { describeRequiring } from '@supernas/test-utils';
import { expect, it } from 'vitest';
import { mpiMissingReason, runUnderMpirun, signalUnderMpirun } from './mpi-harness.js';

interface TrainResult {
  rank: number;
  ownInitialHash: string;
  initialHash: string;
  finalHash: string;
  records: Array<{ step: number; batchSize: number; losses: Array<{ loss: number }> }>;
}

interface Comparison {
  maxDifference: number;
  maxValue: number;
}

describeRequiring(
  'mpi',
  mpiMissingReason(),
  'data-parallel training under mpirun on 2 ranks',
  () => {
    it('keeps every rank weights bit-identical through K sandwich steps', () => {
      const run = runUnderMpirun('train.mjs', { args: ['3'], timeoutMs: 300_000 });
      expect(run.stderr).not.toMatch(/Error/);
      expect(run.status).toBe(0);
      const [first, second] = run.results as unknown as TrainResult[];
      // Different seeds, then rank 0's weights by broadcast.
      expect(first!.ownInitialHash).not.toBe(second!.ownInitialHash);
      expect(second!.initialHash).toBe(first!.ownInitialHash);
      expect(first!.finalHash).not.toBe(first!.initialHash);
      expect(second!.finalHash).toBe(first!.finalHash);
      // Same subnets, same reduced losses, the global batch in the records.
      expect(first!.records).toHaveLength(3);
      expect(second!.records).toEqual(first!.records);
      expect(first!.records.map((record) => record.batchSize)).toEqual([8, 8, 8]);
    });

    it('averages gradients into the global-batch gradient, or the mean of the shards with BN', () => {
      const run = runUnderMpirun('gradients.mjs', { timeoutMs: 300_000 });
      expect(run.status).toBe(0);
      expect(run.results).toHaveLength(2);
      for (const result of run.results) {
        const plain = result.plain as Comparison;
        const bnToMeanOfShards = result.bnToMeanOfShards as Comparison;
        const bnToGlobal = result.bnToGlobal as Comparison;
        // Without batch statistics: the gradient one process gets from the whole batch.
        expect(plain.maxValue).toBeGreaterThan(0.1);
        expect(plain.maxDifference).toBeLessThanOrEqual(1e-6 * plain.maxValue);
        // With BN, each shard normalises with its own statistics: the mean of the shards'
        // gradients, which is measurably not the global batch's.
        expect(bnToMeanOfShards.maxDifference).toBeLessThanOrEqual(
          1e-6 * bnToMeanOfShards.maxValue,
        );
        expect(bnToGlobal.maxDifference).toBeGreaterThan(1e-3);
      }
    });

    it('stops every rank at the same step when mpirun forwards SIGUSR1', async () => {
      const run = await signalUnderMpirun('train.mjs', 'SIGUSR1', {
        args: ['50', 'stop-on-usr1'],
        timeoutMs: 300_000,
      });
      expect(run.status).toBe(0);
      const [first, second] = run.results as unknown as Array<
        TrainResult & { steps: number; interrupted: boolean; saved: number[] }
      >;
      expect(first!.interrupted).toBe(true);
      expect(first!.steps).toBeLessThan(50);
      expect(second!.steps).toBe(first!.steps);
      expect(second!.interrupted).toBe(true);
      // Both checkpoint at the step they stopped at; the weights agree there.
      expect(first!.saved).toEqual([first!.steps]);
      expect(second!.saved).toEqual([first!.steps]);
      expect(second!.finalHash).toBe(first!.finalHash);
    });
  },
);
