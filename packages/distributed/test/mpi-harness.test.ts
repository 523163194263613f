import { describe, expect, it } from 'vitest';
import { mpiRequired } from './mpi-harness.js';

describe('mpiRequired', () => {
  it('reads mpi from the comma- or space-separated SUPERNAS_REQUIRE', () => {
    expect(mpiRequired({ SUPERNAS_REQUIRE: 'mpi' })).toBe(true);
    expect(mpiRequired({ SUPERNAS_REQUIRE: 'onednn, MPI' })).toBe(true);
    expect(mpiRequired({ SUPERNAS_REQUIRE: 'torch webgpu' })).toBe(false);
    expect(mpiRequired({})).toBe(false);
  });
});
