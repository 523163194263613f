import { describe, expect, it } from 'vitest';
import { loadAddonFrom } from './load-addon.js';

describe('loadAddonFrom', () => {
  it('says how to get the addon when it is missing', () => {
    const result = loadAddonFrom('/nonexistent/supernas_mpi.node', {});
    expect('reason' in result && result.reason).toMatch(
      /the MPI addon was not built \(\/nonexistent\/supernas_mpi\.node is missing\); install Open MPI \(`apt-get install -y openmpi-bin libopenmpi-dev/,
    );
  });

  it('can be disabled from the environment', () => {
    const result = loadAddonFrom('/nonexistent/supernas_mpi.node', { SUPERNAS_MPI_DISABLE: '1' });
    expect(result).toEqual({ reason: 'disabled by SUPERNAS_MPI_DISABLE=1' });
  });
});
