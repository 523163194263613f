import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors.js';

/** The backends the evaluator knows how to rank, fastest first on typical hardware. */
export const evaluatorBackends = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type EvaluatorBackend = (typeof evaluatorBackends)[number];

/** What is known about one backend on this device. */
export interface BackendInfo {
  readonly name: string;
  /** A factory is registered (the app imported the backend package). */
  readonly registered: boolean;
  /** It initialised here (an adapter / context was found). */
  readonly available: boolean;
  /** Why it is not available, when it is not. */
  readonly reason?: string;
  /** For webgpu: the adapter's vendor / architecture / description and whether it is a software fallback. */
  readonly adapter?: AdapterInfo;
}

export interface AdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

/**
 * Which of `names` are registered and initialise on this device. The library imports no backend:
 * the app registers the ones it ships (`import '@tensorflow/tfjs-backend-webgpu'`, ...) and this
 * probes them. Leaves the active backend as it was.
 */
export async function probeBackends(
  names: readonly string[] = evaluatorBackends,
): Promise<BackendInfo[]> {
  const infos: BackendInfo[] = [];
  for (const name of names) {
    if (tf.findBackendFactory(name) == null) {
      infos.push({
        name,
        registered: false,
        available: false,
        reason: 'not registered (the app did not import its backend package)',
      });
      continue;
    }
    let available = false;
    let reason: string | undefined;
    try {
      available = (await tf.ready().then(() => initialise(name))) === true;
      if (!available) reason = 'it failed to initialise here';
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
    const adapter = name === 'webgpu' && available ? await webgpuAdapterInfo() : undefined;
    infos.push({
      name,
      registered: true,
      available,
      ...(reason === undefined ? {} : { reason }),
      ...(adapter === undefined ? {} : { adapter }),
    });
  }
  return infos;
}

async function initialise(name: string): Promise<boolean> {
  if (tf.engine().registry[name] !== undefined) return true;
  // setBackend initialises and activates; restore the previous one afterwards.
  const previous = tf.getBackend();
  const ok = await tf.setBackend(name);
  if (previous !== undefined && previous !== name) await tf.setBackend(previous);
  return ok;
}

/** The WebGPU adapter tfjs would get, as `GPUAdapterInfo` describes it (undefined outside a browser). */
export async function webgpuAdapterInfo(): Promise<AdapterInfo | undefined> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) return undefined;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter == null) return undefined;
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.());
  return {
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    isFallbackAdapter: adapter.isFallbackAdapter ?? info?.isFallbackAdapter ?? false,
  };
}

interface GpuAdapterInfoLike {
  readonly vendor?: string;
  readonly architecture?: string;
  readonly description?: string;
  readonly isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<{
    readonly info?: GpuAdapterInfoLike;
    readonly isFallbackAdapter?: boolean;
    requestAdapterInfo?(): Promise<GpuAdapterInfoLike>;
  } | null>;
}

/** A short name for a backend on this device: `webgpu (google swiftshader, fallback)`, `wasm`. */
export function describeBackend(info: BackendInfo): string {
  if (info.adapter === undefined) return info.name;
  const { vendor, architecture, description, isFallbackAdapter } = info.adapter;
  const label = [vendor, architecture || description].filter((part) => part !== '').join(' ');
  return `${info.name} (${label || 'unknown adapter'}${isFallbackAdapter ? ', software fallback' : ''})`;
}

/**
 * Makes `name` the active backend, or fails with `BackendUnavailableError` naming what is
 * available instead.
 */
export async function useBackend(name: string): Promise<void> {
  const available = () =>
    Object.keys(tf.engine().registryFactory).filter(
      (backend) => tf.findBackendFactory(backend) != null,
    );
  if (tf.findBackendFactory(name) == null) {
    throw new BackendUnavailableError(
      name,
      'it is not registered (import its tfjs backend package in the app)',
      available(),
    );
  }
  let ok = false;
  let cause: unknown;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    cause = error;
  }
  if (!ok) {
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new BackendUnavailableError(name, `it failed to initialise${detail}`, available());
  }
  await tf.ready();
}
