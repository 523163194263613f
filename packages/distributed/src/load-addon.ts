import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The collectives the addon runs. */
export type CollectiveKind = 'allreduce' | 'broadcast' | 'allgather' | 'barrier';

/** The arguments of one collective, the same for the blocking and the asynchronous call. */
type CollectiveArguments = [
  kind: CollectiveKind,
  buffer: ArrayBufferView | null,
  extra: string | number | ArrayBufferView | null,
  timeoutSeconds: number,
  sequence: number,
];

/** The functions of the `supernas_mpi` addon (native/mpi-addon.cc). */
export interface MpiAddon {
  init(): { rank: number; size: number; threadLevel: string; library: string; host: string };
  collective(...args: CollectiveArguments): NativeOutcome;
  collectiveAsync(...args: CollectiveArguments): Promise<NativeOutcome>;
  lastSeen(): number[];
  silentSeconds(): number[];
  finalize(): boolean;
  abort(code: number): never;
}

export interface NativeOutcome {
  readonly status: 'done' | 'timeout' | 'error';
  readonly seconds: number;
  readonly error?: string;
  readonly lastSeen?: number[];
  readonly silentSeconds?: number[];
}

/** Where node-gyp puts the addon; the same relative path from `src/` and `dist/`. */
export const addonPath = fileURLToPath(
  new URL('../build/Release/supernas_mpi.node', import.meta.url),
);

const howToBuild =
  'install Open MPI (`apt-get install -y openmpi-bin libopenmpi-dev g++ make`), then rebuild ' +
  'with `pnpm --filter @supernas/distributed run build:native`';

export type LoadResult = { readonly addon: MpiAddon } | { readonly reason: string };

/** Loads the addon at `path`, or says why it cannot (with the fix). */
export function loadAddonFrom(path: string, environment = process.env): LoadResult {
  if (environment.SUPERNAS_MPI_DISABLE === '1') {
    return { reason: 'disabled by SUPERNAS_MPI_DISABLE=1' };
  }
  if (!existsSync(path)) {
    return { reason: `the MPI addon was not built (${path} is missing); ${howToBuild}` };
  }
  try {
    const require = createRequire(import.meta.url);
    return { addon: require(path) as MpiAddon };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { reason: `the MPI addon failed to load (${message}); ${howToBuild}` };
  }
}

let cached: LoadResult | undefined;

/** Loads the package's addon once; later calls return the same result. */
export function loadAddon(): LoadResult {
  cached ??= loadAddonFrom(addonPath);
  return cached;
}

/** True when the MPI addon built and loads (it does not say the process runs under mpirun). */
export function isMpiAvailable(): boolean {
  return 'addon' in loadAddon();
}

/** Why the MPI addon is unavailable, with the fix; undefined when it is available. */
export function mpiUnavailableReason(): string | undefined {
  const result = loadAddon();
  return 'reason' in result ? result.reason : undefined;
}
