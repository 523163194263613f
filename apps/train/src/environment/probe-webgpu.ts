import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { probeResultPrefix, runProbe } from './run-probe.js';

export interface WebgpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
}

export type WebgpuProbe =
  | {
      readonly found: true;
      readonly adapter: WebgpuAdapterInfo;
      /** A software adapter (SwiftShader, lavapipe): correct but far slower than the CPU backends. */
      readonly isFallbackAdapter: boolean;
    }
  | { readonly found: false; readonly reason: string };

/** What `supernas doctor` and the backend errors tell a user to do for a hardware adapter. */
export const webgpuHowTo =
  'install the Vulkan loader and the GPU vendor Vulkan driver: `apt-get install -y libvulkan1` plus the NVIDIA driver (or `mesa-vulkan-drivers` for AMD / Intel)';

// Dawn's adapter info moved from the adapter to `adapter.info` in newer versions of the spec.
const probeScript = `
const { create } = await import(process.env.SUPERNAS_PROBE_MODULE);
const adapter = await create([]).requestAdapter();
let out = { adapter: null };
if (adapter) {
  const info = adapter.info ?? {};
  out = {
    adapter: { vendor: info.vendor ?? '', architecture: info.architecture ?? '', description: info.description ?? '' },
    isFallbackAdapter: (info.isFallbackAdapter ?? adapter.isFallbackAdapter) === true,
  };
}
console.log(${JSON.stringify(probeResultPrefix)} + JSON.stringify(out));
process.exit(0);
`;

/** One line for a user: what Dawn's captured stderr says went wrong, or a generic reason. */
export function webgpuFailureReason(stderr: string): string {
  const vulkan = /Couldn't load Vulkan: ([^:\n]+)/.exec(stderr);
  if (vulkan !== null) return `Dawn could not load Vulkan (${vulkan[1]} is missing)`;
  return 'Dawn found no WebGPU adapter';
}

/** A readable name for an adapter: `nvidia ampere (NVIDIA driver 550.1)`. */
export function describeAdapter(adapter: WebgpuAdapterInfo): string {
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || 'adapter';
  return adapter.description === '' ? name : `${name} (${adapter.description})`;
}

/**
 * Asks Dawn (the optional `webgpu` package) for an adapter in a child process, so its Vulkan
 * and Wayland warnings are captured rather than printed into the user's terminal.
 */
export async function probeWebgpu(): Promise<WebgpuProbe> {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve('webgpu');
  } catch {
    return { found: false, reason: 'the optional `webgpu` package (Dawn) is not installed' };
  }
  const outcome = await runProbe(probeScript, {
    env: { SUPERNAS_PROBE_MODULE: pathToFileURL(entry).href },
    timeoutMs: 30_000,
  });
  const result = outcome.result as
    | { adapter: WebgpuAdapterInfo | null; isFallbackAdapter?: boolean }
    | undefined;
  if (result === undefined) {
    const why = outcome.timedOut ? 'timed out' : `exited with code ${outcome.exitCode}`;
    return { found: false, reason: `Dawn's adapter probe ${why}` };
  }
  if (result.adapter === null) return { found: false, reason: webgpuFailureReason(outcome.stderr) };
  return {
    found: true,
    adapter: result.adapter,
    isFallbackAdapter: result.isFallbackAdapter === true,
  };
}
