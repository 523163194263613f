import { nativeUnavailableReason, nativeVersion } from '@supernas/backend-native';
import * as tf from '@tensorflow/tfjs-core';
import type { DoctorEntry } from './doctor-entry.js';
import { describeAdapter, probeWebgpu } from './probe-webgpu.js';
import {
  missingTensorflowBinding,
  probeTensorflow,
  tensorflowPackages,
} from './tensorflow-packages.js';

const nativeFix =
  'apt-get install -y libdnnl-dev g++ make && pnpm --filter @supernas/backend-native run build:native';

async function checkTensorflow(): Promise<DoctorEntry[]> {
  return Promise.all(
    tensorflowPackages.map(async (pkg): Promise<DoctorEntry> => {
      const id = pkg.target === 'gpu' ? 'tensorflow-cuda' : 'tensorflow-cpu';
      const name = `tensorflow (${pkg.target === 'gpu' ? 'CUDA' : 'CPU'})`;
      const probe = await probeTensorflow(pkg);
      if (!probe.usable) {
        return {
          id,
          name,
          usable: false,
          detail: probe.reason,
          fix: `${pkg.setupCommand}   # downloads libtensorflow 2.9.1${pkg.target === 'gpu' ? '; needs CUDA 11.2 and cuDNN 8' : ''}`,
          info: {
            package: pkg.specifier,
            installed: missingTensorflowBinding(pkg.specifier) !== 'not installed',
          },
        };
      }
      const detail =
        pkg.target === 'gpu' && !probe.cudaDevice
          ? `${pkg.specifier} loads, but libtensorflow created no GPU device (it runs on the CPU)`
          : `${pkg.specifier} (${pkg.label})`;
      return {
        id,
        name,
        usable: true,
        detail,
        fix: null,
        info: { package: pkg.specifier, installed: true, cudaDevice: probe.cudaDevice },
      };
    }),
  );
}

async function checkWebgpu(): Promise<DoctorEntry> {
  const probe = await probeWebgpu();
  const base = { id: 'webgpu', name: 'webgpu (Dawn)' };
  const fix =
    'apt-get install -y libvulkan1   # plus the GPU vendor Vulkan driver: the NVIDIA driver, or mesa-vulkan-drivers for AMD / Intel';
  if (!probe.found) {
    return {
      ...base,
      usable: false,
      detail: probe.reason,
      fix,
      info: { adapter: null, isFallbackAdapter: null },
    };
  }
  const adapter = describeAdapter(probe.adapter);
  const info = { adapter, isFallbackAdapter: probe.isFallbackAdapter };
  return probe.isFallbackAdapter
    ? {
        ...base,
        usable: false,
        detail: `only a software adapter, ${adapter}: --backend webgpu runs on it, slowly; auto skips it`,
        fix,
        info,
      }
    : { ...base, usable: true, detail: `hardware adapter ${adapter}`, fix: null, info };
}

function checkNative(): DoctorEntry {
  const base = { id: 'native', name: 'native (oneDNN)' };
  const version = nativeVersion();
  if (version === undefined) {
    const reason = nativeUnavailableReason() ?? 'the addon did not load';
    return {
      ...base,
      usable: false,
      detail: reason.split('; install ')[0] ?? reason,
      fix: reason.includes('SUPERNAS_NATIVE_DISABLE') ? 'unset SUPERNAS_NATIVE_DISABLE' : nativeFix,
      info: { onednn: null, isa: null, threads: null },
    };
  }
  return {
    ...base,
    usable: true,
    detail: `oneDNN ${version.onednn}, ISA ${version.isa}, ${version.threads} threads`,
    fix: null,
    info: { onednn: version.onednn, isa: version.isa, threads: version.threads },
  };
}

/** Whether tfjs can switch to `name` after `load()`; puts the previous backend back. */
async function canActivate(load: () => Promise<unknown>, name: string): Promise<string | null> {
  const previous = tf.engine().backendName as string | null | undefined;
  try {
    await load();
    if (!(await tf.setBackend(name))) return `tfjs could not initialise the ${name} backend`;
    return null;
  } catch (error) {
    return String((error as Error)?.message ?? error).split('\n')[0] ?? 'failed to load';
  } finally {
    if (previous && previous !== name) await tf.setBackend(previous);
  }
}

async function checkWasm(): Promise<DoctorEntry> {
  const failure = await canActivate(() => import('@tensorflow/tfjs-backend-wasm'), 'wasm');
  return {
    id: 'wasm',
    name: 'wasm (XNNPACK)',
    usable: failure === null,
    detail: failure ?? 'SIMD, with the supernas backprop kernels',
    fix: failure === null ? null : 'pnpm install   # reinstalls @tensorflow/tfjs-backend-wasm',
    info: {},
  };
}

async function checkCpu(): Promise<DoctorEntry> {
  const failure = await canActivate(() => import('@tensorflow/tfjs-backend-cpu'), 'cpu');
  return {
    id: 'cpu',
    name: 'cpu (JavaScript)',
    usable: failure === null,
    detail: failure ?? 'always there; slow, for tests and tiny jobs',
    fix: failure === null ? null : 'pnpm install   # reinstalls @tensorflow/tfjs-backend-cpu',
    info: {},
  };
}

/** Every backend, in the order `--backend auto` tries them. */
export async function checkBackends(): Promise<DoctorEntry[]> {
  const [tensorflow, webgpu] = await Promise.all([checkTensorflow(), checkWebgpu()]);
  const native = checkNative();
  const wasm = await checkWasm();
  const cpu = await checkCpu();
  return [...tensorflow, webgpu, native, wasm, cpu];
}
