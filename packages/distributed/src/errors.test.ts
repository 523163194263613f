import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import { CollectiveFailedError, CollectiveTimeoutError, MpiUnavailableError } from './errors.js';

const details = {
  rank: 0,
  size: 4,
  operation: 'allreduce',
  sequence: 12,
  seconds: 30.04,
  missingRanks: [2, 3],
  lastSeen: [12, 12, 11, -1],
};

describe('CollectiveTimeoutError', () => {
  it('names this rank, the collective and the ranks that never reached it', () => {
    const error = new CollectiveTimeoutError(details);
    expect(error.message).toBe(
      'rank 0 of 4: allreduce #12 did not complete within 30.0 s; waiting for rank 2 (last at #11), rank 3 (no collective yet): never reached #12 (dead, hung or out of step)',
    );
    expect(SupernasError.hasCode(error, 'collective_timeout')).toBe(true);
    expect(error.details.missingRanks).toEqual([2, 3]);
  });

  it('names a rank that reached it and went silent inside it', () => {
    const error = new CollectiveTimeoutError({
      ...details,
      missingRanks: [],
      silentRanks: [1],
      silentSeconds: [0, 28.96, 0.1, 0.2],
    });
    expect(error.message).toBe(
      'rank 0 of 4: allreduce #12 did not complete within 30.0 s; waiting for rank 1 (at #12, silent for 29.0 s): reached it, then went silent (stopped, hung or starved of CPU)',
    );
  });

  it('says so when every rank arrived and the transport stalled', () => {
    const error = new CollectiveTimeoutError({ ...details, missingRanks: [] });
    expect(error.message).toMatch(/; every rank had reached it$/);
  });
});

describe('CollectiveFailedError', () => {
  it('carries the transport message', () => {
    const error = new CollectiveFailedError(details, 'MPI_ERR_PROC_FAILED: process failure');
    expect(error.message).toMatch(/^rank 0 of 4: allreduce #12 failed \(MPI_ERR_PROC_FAILED/);
    expect(error.code).toBe('collective_failed');
  });
});

describe('MpiUnavailableError', () => {
  it('says why, with the fix', () => {
    const error = new MpiUnavailableError('the MPI addon was not built; apt-get install ...');
    expect(error.message).toBe(
      'Open MPI is unavailable: the MPI addon was not built; apt-get install ...',
    );
    expect(error.code).toBe('mpi_unavailable');
  });
});
