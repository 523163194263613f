/**
 * WebGPU in a Node test through Dawn (the optional `webgpu` package): installs the WebGPU
 * globals and `navigator.gpu`, asks for an adapter, and gives back a `restore` that puts the
 * globals as they were, so nothing leaks into the next test file of the same worker.
 *
 * The Vulkan loader and driver come from the environment the worker started with (see
 * vitest.config.ts: Chromium's own `libvulkan.so.1` and SwiftShader ICD when no system one).
 */
export type DawnWebgpu =
  | { readonly ok: true; readonly adapter: string; readonly restore: () => void }
  | { readonly ok: false; readonly reason: string };

interface DawnModule {
  create(flags: string[]): { requestAdapter(): Promise<DawnAdapter | null> };
  globals: Record<string, unknown>;
}

interface DawnAdapter {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { vendor?: string; architecture?: string; description?: string };
}

export async function installDawnWebgpu(): Promise<DawnWebgpu> {
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (error) {
    return { ok: false, reason: `the optional 'webgpu' package does not load (${String(error)})` };
  }
  const scope = globalThis as Record<string, unknown>;
  const added = Object.keys(dawn.globals).filter((name) => !(name in scope));
  const navigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  const restore = (): void => {
    for (const name of added) delete scope[name];
    if (navigator) Object.defineProperty(globalThis, 'navigator', navigator);
    else delete scope.navigator;
  };
  for (const name of added) scope[name] = dawn.globals[name];
  const gpu = dawn.create([]);
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...((navigator?.value as object | undefined) ?? {}), gpu },
    configurable: true,
    writable: true,
  });
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (adapter === null) {
    restore();
    return {
      ok: false,
      reason:
        'Dawn found no WebGPU adapter (needs libvulkan.so.1 and a Vulkan driver, e.g. Chromium’s SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)',
    };
  }
  const { vendor, architecture, description } = adapter.info ?? {};
  const name = [vendor, architecture, description].filter(Boolean).join(' ') || 'unnamed adapter';
  return {
    ok: true,
    adapter: adapter.isFallbackAdapter ? `${name} (software)` : name,
    restore,
  };
}
