import { existsSync } from 'node:fs';

/** Where Debian's `apt-get install chromium` puts the browser; `SUPERNAS_CHROMIUM` overrides. */
export const chromiumPath = process.env.SUPERNAS_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The Chromium executable, or undefined (tests skip) when it is missing. When the env
 * `SUPERNAS_REQUIRE` lists `chromium` (comma or space separated), a missing browser fails the
 * run instead, so CI cannot go green by skipping.
 */
/** @returns {string | undefined} */
export function requireChromium() {
  if (existsSync(chromiumPath)) return chromiumPath;
  const required = (process.env.SUPERNAS_REQUIRE ?? '').split(/[\s,]+/).includes('chromium');
  const message = `Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set SUPERNAS_CHROMIUM)`;
  if (required) throw new Error(`${message}; SUPERNAS_REQUIRE includes chromium`);
  console.warn(`skipping browser tests: ${message}`);
  return undefined;
}

/**
 * Flags for headless Chromium with WebGPU on its software adapter (see shared FACTS). Playwright's
 * `launch` already gives every browser a fresh temporary profile (it rejects `--user-data-dir`).
 */
export function chromiumArgs() {
  return [
    '--headless=new',
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--enable-unsafe-webgpu',
  ];
}
