import * as tf from '@tensorflow/tfjs-core';
import { InvalidNativeOptionError, NativeBackendUnavailableError } from './errors.js';
import { staticSubnetKernel } from './infer/static-subnet-kernel.js';
import { countKernelCall } from './kernel-stats.js';
import { allNativeKernels } from './kernels/all-kernels.js';
import { channelGateKernels } from './kernels/channel-gate-kernels.js';
import {
  FusedKernelInputError,
  fusedKernels as plainFusedKernels,
} from './kernels/fused-kernels.js';
import { mbconvTrainKernels } from './kernels/mbconv-train-kernels.js';
import { pointwiseConvKernels } from './kernels/pointwise-conv-kernels.js';
import { sgdStepKernel } from './kernels/sgd-step-kernel.js';
import { loadAddon } from './load-addon.js';
import type { NativeAddon } from './native-addon.js';
import { NativeBackend } from './native-backend.js';

const fusedKernels = [
  ...plainFusedKernels,
  ...channelGateKernels,
  ...mbconvTrainKernels,
  ...pointwiseConvKernels,
  sgdStepKernel,
];

/** The name `enableNativeBackend()` registers; select it with `tf.setBackend('native')`. */
export const nativeBackendName = 'native';

export interface EnableNativeBackendOptions {
  /** OpenMP threads for oneDNN and the element-wise loops; default: all cores. */
  readonly threads?: number;
  /**
   * Registration priority. The default 0 keeps tfjs' automatic choice unchanged (cpu is 1);
   * a value above the other registered backends makes tfjs pick `native` when none is set.
   */
  readonly priority?: number;
  /**
   * Bytes of freed output arrays kept for reuse by later ops of the same size class; 0 turns
   * recycling off. By default as many bytes as the backend's arrays have held at once (a
   * training step's working set), at most half the memory (`defaultPoolLimitBytes`). Takes
   * effect when the backend is created.
   */
  readonly poolBytes?: number;
}

export interface NativeBackendInfo {
  readonly backendName: string;
  /** oneDNN version, e.g. `2.6.3`. */
  readonly onednn: string;
  /** The instruction set oneDNN dispatches to, e.g. `avx2` or `avx512_core`. */
  readonly isa: string;
  readonly threads: number;
  /** Kernels with a native implementation; all others are the cpu backend's. */
  readonly nativeKernels: readonly string[];
}

let kernelsRegistered = false;

/** cpu kernels that never keep a reference to their inputs' arrays (they share the dataId). */
const referenceFreeKernels = new Set(['Reshape', 'Identity', 'Cast']);

/** A cpu kernel may keep a view of its inputs (contiguous slice does): stop recycling them. */
function shareInputs(backend: NativeBackend, inputs: tf.NamedTensorInfoMap): void {
  for (const input of Object.values(inputs)) {
    if (input !== undefined) backend.share(input.dataId);
  }
}

function registerKernels(addon: NativeAddon): void {
  const overridden = new Set(allNativeKernels.map((kernel) => kernel.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (overridden.has(config.kernelName)) continue;
    const { kernelFunc } = config;
    tf.registerKernel({
      ...config,
      backendName: nativeBackendName,
      kernelFunc: referenceFreeKernels.has(config.kernelName)
        ? kernelFunc
        : (args) => {
            shareInputs(args.backend as NativeBackend, args.inputs);
            return kernelFunc(args);
          },
    });
  }
  for (const kernel of [...fusedKernels, staticSubnetKernel]) {
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName: nativeBackendName,
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const result = kernel.run({ inputs: args.inputs, attrs: args.attrs ?? {}, backend, addon });
        if (result === undefined) throw new FusedKernelInputError(kernel.kernelName, []);
        countKernelCall(kernel.kernelName, true);
        return result;
      },
    });
  }
  for (const kernel of allNativeKernels) {
    const cpuKernel = tf.getKernel(kernel.kernelName, 'cpu');
    if (cpuKernel === undefined) continue;
    tf.registerKernel({
      kernelName: kernel.kernelName,
      backendName: nativeBackendName,
      kernelFunc: (args) => {
        const backend = args.backend as NativeBackend;
        const attrs = args.attrs ?? {};
        const result = kernel.run({ inputs: args.inputs, attrs, backend, addon });
        countKernelCall(kernel.kernelName, result !== undefined);
        if (result !== undefined) return result;
        shareInputs(backend, args.inputs);
        return cpuKernel.kernelFunc(args);
      },
    });
  }
}

/**
 * Registers the `native` backend: the cpu backend's kernels with oneDNN / native loops in place
 * of the heavy ones (convolutions, matmul, element-wise, reductions, batch norm, copies). Call
 * once, then `await tf.setBackend('native')`. Throws `NativeBackendUnavailableError`, naming
 * the cause and the fix, when the addon did not build or load. Calling it again only applies
 * `threads`.
 */
export function enableNativeBackend(options: EnableNativeBackendOptions = {}): NativeBackendInfo {
  const loaded = loadAddon();
  if (!('addon' in loaded)) throw new NativeBackendUnavailableError(loaded.reason);
  const { addon } = loaded;
  const { threads, priority = 0, poolBytes } = options;
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new InvalidNativeOptionError('threads', threads, 'an integer >= 1');
    }
    addon.setNumThreads(threads);
  }
  if (!Number.isFinite(priority)) {
    throw new InvalidNativeOptionError('priority', priority, 'a finite number');
  }
  if (poolBytes !== undefined && (!Number.isInteger(poolBytes) || poolBytes < 0)) {
    throw new InvalidNativeOptionError('poolBytes', poolBytes, 'an integer >= 0');
  }
  // After tf.removeBackend('native') the factory is gone but the kernels stay registered.
  if (tf.findBackendFactory(nativeBackendName) === null) {
    tf.registerBackend(nativeBackendName, () => new NativeBackend(poolBytes), priority);
  }
  if (!kernelsRegistered) {
    registerKernels(addon);
    kernelsRegistered = true;
  }
  const version = addon.version();
  return {
    backendName: nativeBackendName,
    onednn: version.onednn,
    isa: version.isa,
    threads: version.threads,
    nativeKernels: [
      ...new Set(
        [...allNativeKernels, ...fusedKernels, staticSubnetKernel].map(
          (kernel) => kernel.kernelName,
        ),
      ),
    ],
  };
}

/** Whether the addon built and loads here (`enableNativeBackend()` would succeed). */
export function isNativeAvailable(): boolean {
  return 'addon' in loadAddon();
}

/** Why the addon is unavailable (with the fix), or undefined when it loads. */
export function nativeUnavailableReason(): string | undefined {
  const loaded = loadAddon();
  return 'reason' in loaded ? loaded.reason : undefined;
}

/**
 * Frees what the native backend keeps for speed: the output arrays held for reuse and the cached
 * oneDNN primitives. For a long-lived process that is done with heavy work; the next ops
 * rebuild both.
 */
export function releaseNativeMemory(): void {
  const backend = tf.findBackend(nativeBackendName);
  if (backend instanceof NativeBackend) backend.releasePool();
  const loaded = loadAddon();
  if ('addon' in loaded) loaded.addon.clearCaches();
}
