import { type SpawnSyncReturns, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addonPath } from '../src/load-addon.js';

const distIndex = fileURLToPath(new URL('../dist/index.js', import.meta.url));
// The scripts under mpirun run plain Node on built packages: the trainer's, and the test kit's
// micro space.
const builtDependencies = ['trainer/dist/index.js', 'test-utils/dist/micro-space.js'].map((path) =>
  fileURLToPath(new URL(`../node_modules/@supernas/${path}`, import.meta.url)),
);

/**
 * Why the mpirun tests cannot run here, or undefined when they can: the reason
 * `describeRequiring('mpi', ...)` gives when it skips, or fails under `SUPERNAS_REQUIRE=mpi`.
 */
export function mpiMissingReason(): string | undefined {
  const version = spawnSync('mpirun', ['--version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0)
    return 'mpirun was not found (apt-get install -y openmpi-bin libopenmpi-dev)';
  if (!existsSync(addonPath))
    return `the MPI addon is not built (${addonPath}); run \`pnpm --filter @supernas/distributed run build:native\``;
  if (!existsSync(distIndex))
    return 'the package is not built (dist/index.js); run `pnpm --filter @supernas/distributed build`';
  if (!builtDependencies.every((path) => existsSync(path)))
    return 'the packages it trains with are not built; run `pnpm turbo run build --filter=@supernas/distributed`';
  return undefined;
}

export interface MpiRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** What each rank wrote with `writeResult` (test/mpi/result.mjs), in rank order. */
  readonly results: Array<Record<string, unknown>>;
}

/** What each rank wrote to `outDir` (rank-<n>.json), in rank order; removes the folder. */
function takeResults(outDir: string): Array<Record<string, unknown>> {
  const results = readdirSync(outDir)
    .filter((name) => /^rank-\d+\.json$/.test(name))
    .map((name) => JSON.parse(readFileSync(join(outDir, name), 'utf8')) as Record<string, unknown>)
    .sort((a, b) => (a.rank as number) - (b.rank as number));
  rmSync(outDir, { recursive: true, force: true });
  return results;
}

/** Runs `node <script> ...args` on `ranks` ranks under mpirun and waits for the job to end. */
export function runUnderMpirun(
  script: string,
  options: {
    readonly ranks?: number;
    readonly args?: readonly string[];
    readonly env?: Readonly<Record<string, string>>;
    readonly timeoutMs?: number;
  } = {},
): MpiRun {
  const path = fileURLToPath(new URL(`./mpi/${script}`, import.meta.url));
  // Ranks write their results to files: mpirun interleaves the ranks' stdout.
  const outDir = mkdtempSync(join(tmpdir(), 'supernas-mpi-'));
  const env = { ...options.env, SUPERNAS_TEST_OUT: outDir };
  const exported = Object.keys(env).flatMap((name) => ['-x', name]);
  const startedAt = performance.now();
  const result: SpawnSyncReturns<string> = spawnSync(
    'mpirun',
    [
      '--allow-run-as-root',
      '--oversubscribe',
      '-np',
      String(options.ranks ?? 2),
      ...exported,
      process.execPath,
      path,
      ...(options.args ?? []),
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: options.timeoutMs ?? 120_000,
    },
  );
  const results = takeResults(outDir);
  return {
    results,
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    seconds: (performance.now() - startedAt) / 1000,
  };
}

/**
 * Starts `node <script> ...args` under mpirun, waits until a rank creates the file `started` in
 * its output folder, sends `signal` to mpirun, and resolves once the job ends.
 */
export async function signalUnderMpirun(
  script: string,
  signal: NodeJS.Signals,
  options: {
    readonly ranks?: number;
    readonly args?: readonly string[];
    readonly timeoutMs?: number;
  } = {},
): Promise<MpiRun> {
  const path = fileURLToPath(new URL(`./mpi/${script}`, import.meta.url));
  const outDir = mkdtempSync(join(tmpdir(), 'supernas-mpi-'));
  const startedAt = performance.now();
  const child = spawn(
    'mpirun',
    [
      '--allow-run-as-root',
      '--oversubscribe',
      '-np',
      String(options.ranks ?? 2),
      '-x',
      'SUPERNAS_TEST_OUT',
      process.execPath,
      path,
      ...(options.args ?? []),
    ],
    { env: { ...process.env, SUPERNAS_TEST_OUT: outDir } },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = startedAt + (options.timeoutMs ?? 120_000);
  const poll = setInterval(() => {
    if (existsSync(join(outDir, 'started'))) {
      clearInterval(poll);
      child.kill(signal);
    } else if (performance.now() > deadline) {
      clearInterval(poll);
      child.kill('SIGKILL');
    }
  }, 100);
  const status = await ended;
  clearInterval(poll);
  const results = takeResults(outDir);
  return { status, stdout, stderr, seconds: (performance.now() - startedAt) / 1000, results };
}
