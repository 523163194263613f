import { describeRequiring } from '@supernas/test-utils';
import { expect, it } from 'vitest';
import { mpiMissingReason, runUnderMpirun } from './mpi-harness.js';

describeRequiring('mpi', mpiMissingReason(), 'a rank that dies or hangs', () => {
  it('ends the job when a rank is killed, and the survivor names the missing rank', () => {
    const run = runUnderMpirun('failure.mjs', { args: ['kill', '20'], timeoutMs: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull(); // ended by itself, not by the harness' timeout
    expect(run.seconds).toBeLessThan(20);
    // mpirun names the dead rank; the survivor says what it was waiting in and for whom.
    expect(run.stderr).toMatch(/process rank 1 .*exited on signal 9/);
    expect(run.stderr).toMatch(
      /rank 0 of 2: terminated by SIGTERM after waiting [\d.]+ s in allreduce #1; rank 1 never reached it/,
    );
  });

  it('ends the job with the hung rank named once the watchdog times out', () => {
    const run = runUnderMpirun('failure.mjs', { args: ['hang', '3'], timeoutMs: 60_000 });
    expect(run.status).not.toBe(0);
    expect(run.status).not.toBeNull();
    expect(run.seconds).toBeLessThan(30);
    expect(run.stderr).toMatch(
      /rank 0 of 2: allreduce #1 did not complete within 3\.\d s; waiting for rank 1 \(last at #0\): never reached #1/,
    );
  });

  it('names a rank that reached the collective and then went silent inside it', () => {
    const run = runUnderMpirun('failure.mjs', { args: ['stall', '3'], timeoutMs: 60_000 });
    expect(run.status).toBe(3);
    expect(run.seconds).toBeLessThan(30);
    const [result] = run.results;
    expect(result!.code).toBe('collective_timeout');
    expect(result!.details).toMatchObject({
      rank: 0,
      sequence: 1,
      missingRanks: [],
      silentRanks: [1],
      lastSeen: [-1, 1],
    });
    expect((result!.details as { silentSeconds: number[] }).silentSeconds[1]).toBeGreaterThan(1);
  });

  it('ends every rank at once when one rank aborts, with its code, even with no watchdog', () => {
    const run = runUnderMpirun('failure.mjs', { args: ['abort'], timeoutMs: 60_000 });
    expect(run.status).toBe(7);
    expect(run.seconds).toBeLessThan(30);
    expect(run.stderr).toContain('rank 1: failed on its own');
    // mpirun's own banner names the aborting rank, but Open MPI 4.1 sometimes loses it
    // ("ORTE_ERROR_LOG: Data unpack would read past end of buffer" in show_help.c); then the
    // surviving rank's own line says what ended it.
    expect(run.stderr).toMatch(
      /MPI_ABORT was invoked on rank 1 in communicator MPI_COMM_WORLD\s+with errorcode 7|rank 0 of 2: terminated by SIGTERM .*rank 1 never reached it/,
    );
  });

  it("rejects with the timeout's details when asked to throw, and the job still ends", () => {
    const run = runUnderMpirun('failure.mjs', { args: ['hang-throw', '2'], timeoutMs: 60_000 });
    expect(run.status).toBe(3);
    expect(run.seconds).toBeLessThan(30);
    expect(run.results).toHaveLength(1);
    const [result] = run.results;
    expect(result!.code).toBe('collective_timeout');
    expect(result!.details).toMatchObject({
      rank: 0,
      size: 2,
      operation: 'allreduce',
      sequence: 1,
      missingRanks: [1],
      lastSeen: [-1, 0],
    });
  });
});
