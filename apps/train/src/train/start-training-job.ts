import { isUnderMpirun } from '@supernas/distributed';
import { formatValue } from '@supernas/errors';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { type DistributedRun, startDistributedRun } from './distributed.js';

export const distributedModes = ['auto', 'mpi'] as const;
export type DistributedMode = (typeof distributedModes)[number];

/** `--distributed <mode>`. */
export function parseDistributedMode(text: string): DistributedMode {
  if ((distributedModes as readonly string[]).includes(text)) return text as DistributedMode;
  throw new CliUsageError(
    `--distributed is ${formatValue(text)}, expected one of ${distributedModes.join(', ')}`,
  );
}

/**
 * The job `supernas train` runs in: one rank of the MPI job mpirun (or `srun --mpi=pmix`) started
 * it in, else a job of one. `mpi` insists on the former, so a forgotten launcher fails at once
 * instead of training alone.
 */
export function startTrainingJob(
  io: CliIo,
  options: {
    readonly distributed?: DistributedMode;
    readonly collectiveTimeout?: number;
    /** What the ranks share, for the banner (default: each global batch is split). */
    readonly sharing?: string;
  },
  environment: NodeJS.ProcessEnv = process.env,
): DistributedRun {
  if (options.distributed === 'mpi' && !isUnderMpirun(environment))
    throw new CliUsageError(
      '--distributed mpi: this process was not started by mpirun (or srun --mpi=pmix); run e.g. mpirun -np 2 pnpm supernas train --distributed mpi ...',
    );
  return startDistributedRun(io, {
    environment,
    ...(options.sharing === undefined ? {} : { sharing: options.sharing }),
    ...(options.collectiveTimeout === undefined
      ? {}
      : { timeoutSeconds: options.collectiveTimeout }),
  });
}
