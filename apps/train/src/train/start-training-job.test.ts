import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { parseDistributedMode, startTrainingJob } from './start-training-job.js';

describe('parseDistributedMode', () => {
  it('accepts auto and mpi and names the choices otherwise', () => {
    expect(parseDistributedMode('mpi')).toBe('mpi');
    expect(parseDistributedMode('auto')).toBe('auto');
    expect(() => parseDistributedMode('nccl')).toThrow(
      "--distributed is 'nccl', expected one of auto, mpi",
    );
  });
});

describe('startTrainingJob', () => {
  it('runs alone outside mpirun by default', () => {
    const job = startTrainingJob(captureIo(), {}, {});
    expect([job.rank, job.size, job.collective.transport]).toEqual([0, 1, 'local']);
  });

  it('fails with --distributed mpi outside mpirun, saying how to launch', () => {
    expect(() => startTrainingJob(captureIo(), { distributed: 'mpi' }, {})).toThrow(
      '--distributed mpi: this process was not started by mpirun (or srun --mpi=pmix); run e.g. mpirun -np 2 pnpm supernas train --distributed mpi ...',
    );
  });
});
