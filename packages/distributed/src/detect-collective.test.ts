import { describe, expect, it } from 'vitest';
import { detectCollective, isUnderMpirun } from './detect-collective.js';

describe('isUnderMpirun', () => {
  it('recognises Open MPI and PMIx launchers by their environment', () => {
    expect(isUnderMpirun({ OMPI_COMM_WORLD_SIZE: '4' })).toBe(true);
    expect(isUnderMpirun({ PMIX_RANK: '0' })).toBe(true);
    expect(isUnderMpirun({ PATH: '/usr/bin' })).toBe(false);
  });
});

describe('detectCollective', () => {
  it('gives the local collective outside mpirun', () => {
    const collective = detectCollective({ environment: {} });
    expect([collective.transport, collective.rank, collective.size]).toEqual(['local', 0, 1]);
  });
});
