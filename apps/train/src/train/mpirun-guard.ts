import { CliUsageError } from '../cli-usage-error.js';

/** The commands that share their work out between the ranks of an mpirun job. */
export const rankAwareCommands: readonly string[] = ['train', 'predictor build', 'search'];

/**
 * Throws for a command that runs in one process when it was started by mpirun with more than
 * one rank: every rank would do the whole job and write the same files at once (a calibrated
 * checkpoint, an export) over each other.
 */
export function refuseUnderMpirun(command: string, environment: NodeJS.ProcessEnv = process.env) {
  // Open MPI's mpirun sets OMPI_COMM_WORLD_SIZE; under srun --mpi=pmix, Slurm says the size.
  const size = Number(
    environment.OMPI_COMM_WORLD_SIZE ??
      (environment.PMIX_RANK === undefined ? undefined : environment.SLURM_NTASKS) ??
      '1',
  );
  if (!(size > 1) || rankAwareCommands.includes(command)) return;
  throw new CliUsageError(
    `supernas ${command} runs in one process, but mpirun started ${size} ranks (OMPI_COMM_WORLD_SIZE=${size}), ` +
      `each of which would write the same files; run it without mpirun (under mpirun: ${rankAwareCommands.map((name) => `supernas ${name}`).join(', ')})`,
  );
}
