import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built CLI that tests start under mpirun: the job a user starts with `mpirun ... supernas`. */
export const builtCli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const addon = fileURLToPath(
  new URL('../../../../packages/distributed/build/Release/supernas_mpi.node', import.meta.url),
);

/** mpirun's arguments for a 2-rank job on this machine (as root, more ranks than cores allowed). */
export const mpirunTwoRanks = ['--allow-run-as-root', '--oversubscribe', '-np', '2'] as const;

/** Why a test cannot start the CLI under mpirun here, or undefined when it can. */
export function mpiMissingReason(): string | undefined {
  const version = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0)
    return 'mpirun was not found (apt-get install -y openmpi-bin libopenmpi-dev)';
  if (!existsSync(addon))
    return `the MPI addon is not built (${addon}); run pnpm --filter @supernas/distributed run build:native`;
  if (!existsSync(builtCli)) return `${builtCli} is missing (run pnpm build)`;
  return undefined;
}
