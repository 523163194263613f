import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { NativeAddon } from './native-addon.js';

/** Where node-gyp puts the addon; the same relative path from `src/` and `dist/`. */
export const addonPath = fileURLToPath(
  new URL('../build/Release/supernas_native.node', import.meta.url),
);

const howToBuild =
  'install oneDNN and a C++ toolchain (`apt-get install -y libdnnl-dev g++ make`), then rebuild ' +
  'with `pnpm --filter @supernas/backend-native run build:native`';

export type LoadResult = { readonly addon: NativeAddon } | { readonly reason: string };

/** Loads the addon at `path`, or says why it cannot (with the fix). */
export function loadAddonFrom(path: string, environment = process.env): LoadResult {
  if (environment.SUPERNAS_NATIVE_DISABLE === '1') {
    return { reason: 'disabled by SUPERNAS_NATIVE_DISABLE=1' };
  }
  if (!existsSync(path)) {
    return { reason: `the native addon was not built (${path} is missing); ${howToBuild}` };
  }
  try {
    const require = createRequire(import.meta.url);
    return { addon: require(path) as NativeAddon };
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    return { reason: `the native addon failed to load (${message}); ${howToBuild}` };
  }
}

let cached: LoadResult | undefined;

/** Loads the package's addon once; later calls return the same result. */
export function loadAddon(): LoadResult {
  cached ??= loadAddonFrom(addonPath);
  return cached;
}
