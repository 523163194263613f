import { loadAddon } from './load-addon.js';

export interface NativeVersion {
  /** oneDNN version, e.g. `2.6.3`. */
  readonly onednn: string;
  /** oneDNN's CPU threading runtime, e.g. `omp`. */
  readonly cpuRuntime: string;
  /** The instruction set oneDNN dispatches to here, e.g. `avx2` or `avx512_core`. */
  readonly isa: string;
  /** OpenMP threads the kernels use. */
  readonly threads: number;
}

/**
 * What the addon runs on, without registering the backend (for `supernas doctor` and logs), or
 * undefined when the addon is not available (`nativeUnavailableReason()` says why).
 */
export function nativeVersion(): NativeVersion | undefined {
  const loaded = loadAddon();
  if (!('addon' in loaded)) return undefined;
  const { onednn, cpuRuntime, isa, threads } = loaded.addon.version();
  return { onednn, cpuRuntime, isa, threads };
}
