import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { probeResultPrefix, runProbe } from './run-probe.js';

export type TensorflowTarget = 'gpu' | 'cpu';

export interface TensorflowPackage {
  readonly target: TensorflowTarget;
  readonly specifier: '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';
  /** What it runs on, for users. */
  readonly label: string;
  /** The command that installs it (`supernas setup gpu|cpu`). */
  readonly setupCommand: string;
}

/**
 * The libtensorflow bindings, in the order `--backend auto` tries them. They are opt-in: their
 * install scripts download libtensorflow from Google's storage, which fails (loudly) on machines
 * without that access, so a default install leaves them out.
 */
export const tensorflowPackages: readonly TensorflowPackage[] = [
  {
    target: 'gpu',
    specifier: '@tensorflow/tfjs-node-gpu',
    label: 'libtensorflow with CUDA',
    setupCommand: 'pnpm supernas setup gpu',
  },
  {
    target: 'cpu',
    specifier: '@tensorflow/tfjs-node',
    label: 'libtensorflow on CPU',
    setupCommand: 'pnpm supernas setup cpu',
  },
];

const require = createRequire(import.meta.url);

/** The version of tfjs-core the app runs on; the bindings must match it exactly. */
export function tfjsCoreVersion(): string {
  return (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
}

function packageDir(specifier: string): string | undefined {
  try {
    return dirname(require.resolve(`${specifier}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Why a tfjs-node package cannot load, checked without importing it (a failed import registers
 * hundreds of kernels before it throws, and the next package's import then warns about each),
 * or undefined when it is installed with its binding.
 */
export function missingTensorflowBinding(specifier: string): string | undefined {
  const dir = packageDir(specifier);
  if (dir === undefined) return 'not installed';
  const libDir = join(dir, 'lib');
  const hasBinding =
    existsSync(libDir) &&
    readdirSync(libDir).some((entry) => existsSync(join(libDir, entry, 'tfjs_binding.node')));
  return hasBinding
    ? undefined
    : 'installed without its libtensorflow binding (its install script could not download libtensorflow)';
}

export type TensorflowProbe =
  | { readonly usable: true; readonly cudaDevice: boolean }
  | { readonly usable: false; readonly reason: string };

const probeScript = `
const tf = await import(process.env.SUPERNAS_PROBE_MODULE);
const ok = await tf.setBackend('tensorflow');
if (ok) tf.tensor([1, 2, 3]).square().dataSync();
console.log(${JSON.stringify(probeResultPrefix)} + JSON.stringify({ ok }));
process.exit(0);
`;

/**
 * Loads a tfjs-node package in a child process (libtensorflow logs to stderr as it starts, and a
 * CUDA build without a GPU complains at length) and runs one op on it.
 */
export async function probeTensorflow(pkg: TensorflowPackage): Promise<TensorflowProbe> {
  const missing = missingTensorflowBinding(pkg.specifier);
  if (missing !== undefined) return { usable: false, reason: `${pkg.specifier} ${missing}` };
  const entry = require.resolve(pkg.specifier);
  const outcome = await runProbe(probeScript, {
    env: { SUPERNAS_PROBE_MODULE: pathToFileURL(entry).href },
    timeoutMs: 120_000,
  });
  const result = outcome.result as { ok: boolean } | undefined;
  if (result?.ok !== true) {
    const lastLine = outcome.stderr.trim().split('\n').pop() ?? '';
    return {
      usable: false,
      reason: `${pkg.specifier} failed to load${lastLine === '' ? '' : `: ${lastLine}`}`,
    };
  }
  // libtensorflow logs each device it creates; a CUDA build with no usable GPU runs on the CPU.
  return { usable: true, cudaDevice: /device:GPU:\d/.test(outcome.stderr) };
}
