import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';
import { refuseUnderMpirun } from './mpirun-guard.js';

describe('refuseUnderMpirun', () => {
  it('lets every command run outside mpirun or on one rank', () => {
    expect(() => refuseUnderMpirun('calibrate', {})).not.toThrow();
    expect(() => refuseUnderMpirun('export', { OMPI_COMM_WORLD_SIZE: '1' })).not.toThrow();
  });

  it('lets the rank-aware commands run on many ranks', () => {
    for (const command of ['train', 'predictor build', 'search'])
      expect(() => refuseUnderMpirun(command, { OMPI_COMM_WORLD_SIZE: '4' })).not.toThrow();
  });

  it('refuses a one-process command on many ranks, naming the command and the rank count', () => {
    let caught: unknown;
    try {
      refuseUnderMpirun('calibrate', { OMPI_COMM_WORLD_SIZE: '2' });
    } catch (error) {
      caught = error;
    }
    expect(SupernasError.hasCode(caught, 'cli_usage')).toBe(true);
    expect((caught as Error).message).toMatch(
      /^supernas calibrate runs in one process, but mpirun started 2 ranks \(OMPI_COMM_WORLD_SIZE=2\)/,
    );
  });

  it('stops the CLI before the command runs, with one error line', async () => {
    const previous = process.env.OMPI_COMM_WORLD_SIZE;
    process.env.OMPI_COMM_WORLD_SIZE = '2';
    const io = captureIo();
    try {
      const code = await runCli(
        ['export', '--run', '/nonexistent-run', '--preset', 'max', '--out', '/nonexistent-out'],
        io,
      );
      expect(code).toBe(1);
      expect(io.err()).toMatch(
        /^error: supernas export runs in one process, but mpirun started 2 ranks/,
      );
    } finally {
      if (previous === undefined) delete process.env.OMPI_COMM_WORLD_SIZE;
      else process.env.OMPI_COMM_WORLD_SIZE = previous;
    }
  });
});
