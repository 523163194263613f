import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nativeVersion } from '@supernas/backend-native';
import { SupernasError } from '@supernas/errors';
import {
  missingTensorflowBinding,
  type TensorflowPackage,
  type TensorflowTarget,
  tensorflowPackages,
  tfjsCoreVersion,
} from './tensorflow-packages.js';

/** `supernas setup` could not install a libtensorflow binding; nothing was changed. */
export class TensorflowSetupError extends SupernasError {
  constructor(
    message: string,
    readonly specifier: string,
  ) {
    super(message, { code: 'tensorflow_setup_failed' });
  }
}

export interface CommandResult {
  readonly exitCode: number;
  /** stdout and stderr, interleaved. */
  readonly output: string;
}

/** Runs a command with its output captured (injected in tests). */
export type CommandRunner = (
  command: string,
  args: readonly string[],
  cwd: string,
) => Promise<CommandResult>;

export const runCommand: CommandRunner = (command, args, cwd) =>
  new Promise((resolvePromise, reject) => {
    const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolvePromise({ exitCode: code ?? 1, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });

/**
 * The backends that work without libtensorflow, cheaply checked: native when its addon loads;
 * wasm and cpu ship with the app. (`supernas doctor` checks each for real, and webgpu.)
 */
function stillWorking(): string[] {
  return [...(nativeVersion() === undefined ? [] : ['native (oneDNN)']), 'wasm', 'cpu'];
}

/** `apps/train`, from `src/environment` and from `dist/environment` alike. */
export const appDir = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export interface SetupTensorflowOptions {
  readonly appDir?: string;
  readonly run?: CommandRunner;
  /** Progress lines for the user. */
  readonly log?: (line: string) => void;
}

/** The `pnpm add` line `supernas setup` runs in apps/train, for the README and the log. */
export function setupCommandLine(pkg: TensorflowPackage, version: string): string[] {
  return ['add', `${pkg.specifier}@${version}`, `--allow-build=${pkg.specifier}`];
}

/**
 * One line out of a failed install script's output: the libtensorflow download and its error
 * (`https://storage.googleapis.com/...tar.gz: getaddrinfo ENOTFOUND storage.googleapis.com`).
 */
export function summarizeInstallFailure(output: string): string {
  const lines = output.split('\n').map((line) => line.replace(/^.*? install: /, '').trim());
  const url = lines.find((line) => /^https?:\/\/\S+$/.test(line));
  const error = lines
    .find((line) => /^(\w*Error|ERR_PNPM_\w+|E[A-Z]{3,})\b/.test(line))
    ?.replace(/^Error: /, '');
  const what = error ?? lines.filter((line) => line !== '').pop() ?? 'unknown error';
  return url === undefined ? what : `could not download libtensorflow (${url}: ${what})`;
}

/**
 * `supernas setup gpu|cpu`: adds `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (the
 * version of tfjs-core in use) to apps/train with its install script allowed; that script
 * downloads libtensorflow. When it fails, the manifests are put back as they were and the error
 * says in one line what failed.
 */
export async function setupTensorflow(
  target: TensorflowTarget,
  options: SetupTensorflowOptions = {},
): Promise<TensorflowPackage> {
  const pkg = tensorflowPackages.find((candidate) => candidate.target === target);
  if (pkg === undefined) {
    throw new TensorflowSetupError(
      `setup target is '${target}', expected one of ${tensorflowPackages.map((candidate) => candidate.target).join(', ')}`,
      String(target),
    );
  }
  const dir = options.appDir ?? appDir;
  const run = options.run ?? runCommand;
  const log = options.log ?? (() => {});
  const root = join(dir, '..', '..');
  const manifests = [
    join(dir, 'package.json'),
    join(root, 'pnpm-workspace.yaml'),
    join(root, 'pnpm-lock.yaml'),
  ];
  const saved = await Promise.all(
    manifests.map((path) => readFile(path, 'utf8').catch(() => undefined)),
  );
  const args = setupCommandLine(pkg, tfjsCoreVersion());
  log(
    `installing ${pkg.specifier} (${pkg.label}): pnpm ${args.join(' ')} in ${dir}; its install script downloads libtensorflow (hundreds of MB)`,
  );
  let result: CommandResult;
  try {
    result = await run('pnpm', args, dir);
  } catch (error) {
    throw new TensorflowSetupError(
      `could not run pnpm (${(error as Error).message}); install it with \`npm install -g pnpm@10\``,
      pkg.specifier,
    );
  }
  const missing = result.exitCode === 0 ? missingTensorflowBinding(pkg.specifier) : undefined;
  if (result.exitCode === 0 && missing === undefined) return pkg;

  const why =
    result.exitCode === 0 ? `${pkg.specifier} ${missing}` : summarizeInstallFailure(result.output);
  await Promise.all(
    manifests.map((path, index) => {
      const text = saved[index];
      return text === undefined ? undefined : writeFile(path, text);
    }),
  );
  // pnpm leaves the half-installed package linked (a later `pnpm install` keeps the stray link).
  await rm(join(dir, 'node_modules', pkg.specifier), { recursive: true, force: true });
  const restore = await run('pnpm', ['install', '--offline'], root);
  const restored =
    restore.exitCode === 0
      ? 'nothing was changed'
      : 'run `pnpm install` to take the half-installed package out';
  throw new TensorflowSetupError(
    `installing ${pkg.specifier} failed: ${why}; ${restored}. --backend auto still runs on ${stillWorking().join(', ')} (\`supernas doctor\` lists every backend).`,
    pkg.specifier,
  );
}
