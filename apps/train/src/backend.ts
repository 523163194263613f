import type { AdaptiveThreads } from '@supernas/backend-native';
import { SupernasError } from '@supernas/errors';
import * as tf from '@tensorflow/tfjs-core';
import { describeAdapter, probeWebgpu, webgpuHowTo } from './environment/probe-webgpu.js';
import { missingTensorflowBinding, tensorflowPackages } from './environment/tensorflow-packages.js';

export const backendChoices = ['auto', 'tensorflow', 'webgpu', 'native', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof backendChoices)[number];

export interface SelectedBackend {
  /** The tfjs backend name now active. */
  readonly name: string;
  /** A line for the user: what runs, and why. */
  readonly description: string;
}

/**
 * A backend that is not installed or not usable here; the message says how to get it. Code
 * `backend_unavailable`.
 */
export class BackendUnavailableError extends SupernasError {
  override readonly name = 'BackendUnavailableError';
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly howToInstall: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`Backend '${backend}' is not available: ${reason}. ${howToInstall}`, {
      code: 'backend_unavailable',
      cause: options.cause,
    });
  }
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0] ?? '';
}

async function tryTensorflow(): Promise<SelectedBackend> {
  const failures: string[] = [];
  for (const { specifier, label } of tensorflowPackages) {
    const missing = missingTensorflowBinding(specifier);
    if (missing !== undefined) {
      failures.push(`${specifier} ${missing}`);
      continue;
    }
    try {
      await import(specifier);
      if (await tf.setBackend('tensorflow')) {
        return { name: 'tensorflow', description: `tensorflow (${specifier}, ${label})` };
      }
      failures.push(`${specifier}: setBackend('tensorflow') failed`);
    } catch (error) {
      failures.push(`${specifier}: ${firstLine(error)}`);
    }
  }
  throw new BackendUnavailableError(
    'tensorflow',
    failures.join('; '),
    `It is opt-in: \`${tensorflowPackages.map((pkg) => pkg.setupCommand).join('` (CUDA) or `')}\` installs it where libtensorflow can be downloaded.`,
  );
}

async function tryWebgpu(requireHardware: boolean): Promise<SelectedBackend> {
  const howTo = `For a hardware adapter, ${webgpuHowTo}.`;
  // Probe in a child first: Dawn prints its Vulkan warnings straight to the terminal.
  const probe = await probeWebgpu();
  if (!probe.found) throw new BackendUnavailableError('webgpu', probe.reason, howTo);
  const adapterName = describeAdapter(probe.adapter);
  if (requireHardware && probe.isFallbackAdapter) {
    throw new BackendUnavailableError(
      'webgpu',
      `only a software adapter (${adapterName}), slower than the CPU backends`,
      howTo,
    );
  }
  try {
    const globalScope = globalThis as unknown as { navigator?: { gpu?: unknown } };
    if (globalScope.navigator?.gpu === undefined) {
      const dawn = (await import('webgpu')) as unknown as {
        create: (flags: string[]) => unknown;
        globals: Record<string, unknown>;
      };
      Object.assign(globalThis, dawn.globals);
      Object.defineProperty(globalThis, 'navigator', {
        value: { ...(globalScope.navigator ?? {}), gpu: dawn.create([]) },
        configurable: true,
        writable: true,
      });
    }
    const gpu = (
      globalThis as unknown as { navigator: { gpu: { requestAdapter(): Promise<unknown> } } }
    ).navigator.gpu;
    if ((await gpu.requestAdapter()) === null) throw new Error('no WebGPU adapter');
  } catch (error) {
    throw new BackendUnavailableError('webgpu', firstLine(error), howTo, { cause: error });
  }
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) {
    throw new BackendUnavailableError(
      'webgpu',
      'tfjs could not initialise the webgpu backend',
      howTo,
    );
  }
  return {
    name: 'webgpu',
    description: `webgpu (${adapterName}${probe.isFallbackAdapter ? ', software adapter' : ''})`,
  };
}

let threadAdaptation: AdaptiveThreads | undefined;

/**
 * The native backend's thread count following the machine's load, where the CLI turned it on
 * (`SUPERNAS_ADAPTIVE_THREADS=1`, set by `supernas` unless `OMP_NUM_THREADS` pins the count).
 */
export function nativeThreadAdaptation(): AdaptiveThreads | undefined {
  return threadAdaptation;
}

async function tryNative(): Promise<SelectedBackend> {
  const native = await import('@supernas/backend-native');
  try {
    const info = native.enableNativeBackend();
    const name = info.backendName;
    if (!(await tf.setBackend(name))) throw new Error(`setBackend('${name}') failed`);
    if (process.env.SUPERNAS_ADAPTIVE_THREADS === '1' && process.env.OMP_NUM_THREADS === undefined)
      threadAdaptation ??= native.adaptThreadsToLoad({ maxThreads: info.threads });
    const threads = threadAdaptation?.active
      ? `${info.threads} threads, fewer while other processes keep cores busy`
      : `${info.threads} threads`;
    return {
      name,
      description: `${name} (oneDNN ${info.onednn} ${info.isa}, ${threads}, ${info.nativeKernels.length} native kernels)`,
    };
  } catch (error) {
    throw new BackendUnavailableError(
      'native',
      firstLine(error),
      'Install oneDNN (`apt-get install libdnnl-dev`) and rebuild: `pnpm --filter @supernas/backend-native build`.',
      { cause: error },
    );
  }
}

async function tryWasm(): Promise<SelectedBackend> {
  await import('@tensorflow/tfjs-backend-wasm');
  const { registerWasmBackprop } = await import('@supernas/wasm-backprop');
  registerWasmBackprop();
  if (!(await tf.setBackend('wasm'))) {
    throw new BackendUnavailableError(
      'wasm',
      'the wasm binary did not load',
      'Reinstall @tensorflow/tfjs-backend-wasm.',
    );
  }
  return { name: 'wasm', description: 'wasm (XNNPACK with SIMD, supernas backprop kernels)' };
}

async function tryCpu(): Promise<SelectedBackend> {
  await import('@tensorflow/tfjs-backend-cpu');
  const { registerCpuSliceKernel } = await import('@supernas/elastic');
  registerCpuSliceKernel();
  await tf.setBackend('cpu');
  return { name: 'cpu', description: 'cpu (pure JavaScript: slow, for tests and tiny jobs)' };
}

/**
 * Activates a tfjs backend. `auto` prefers libtensorflow (tfjs-node-gpu, then tfjs-node), then
 * WebGPU on a hardware adapter, then our oneDNN kernels, then wasm, then cpu; `notes` receives
 * one line per backend that was skipped and why.
 */
export async function selectBackend(
  choice: BackendChoice,
  notes: (line: string) => void = () => {},
): Promise<SelectedBackend> {
  switch (choice) {
    case 'tensorflow':
      return tryTensorflow();
    case 'webgpu':
      return tryWebgpu(false);
    case 'native':
      return tryNative();
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return tryCpu();
    case 'auto': {
      const attempts: Array<() => Promise<SelectedBackend>> = [
        tryTensorflow,
        () => tryWebgpu(true),
        tryNative,
        tryWasm,
      ];
      for (const attempt of attempts) {
        try {
          return await attempt();
        } catch (error) {
          notes(`skipped: ${firstLine(error)}`);
        }
      }
      return tryCpu();
    }
  }
}

/** Parses a `--backend` value, naming the allowed ones when it is not one of them. */
export function parseBackendChoice(value: string): BackendChoice {
  if (!(backendChoices as readonly string[]).includes(value)) {
    throw new BackendUnavailableError(
      value,
      `'${value}' is not a backend supernas knows`,
      `Use one of ${backendChoices.join(', ')}.`,
    );
  }
  return value as BackendChoice;
}
