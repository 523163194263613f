import type { Collective } from './collective.js';
import { localCollective } from './local-collective.js';
import { type MpiCollectiveOptions, mpiCollective } from './mpi-collective.js';

/**
 * True when this process was started by mpirun / mpiexec / a PMIx launcher (srun --mpi=pmix,
 * the MPI Operator): Open MPI sets `OMPI_COMM_WORLD_SIZE`, PMIx sets `PMIX_RANK`.
 */
export function isUnderMpirun(environment: NodeJS.ProcessEnv = process.env): boolean {
  return environment.OMPI_COMM_WORLD_SIZE !== undefined || environment.PMIX_RANK !== undefined;
}

/**
 * The collective for this process: MPI under mpirun (throws `MpiUnavailableError`, with the
 * fix, when the addon is missing), the single-process `localCollective()` otherwise.
 */
export function detectCollective(
  options: MpiCollectiveOptions & { readonly environment?: NodeJS.ProcessEnv } = {},
): Collective {
  return isUnderMpirun(options.environment ?? process.env)
    ? mpiCollective(options)
    : localCollective();
}
