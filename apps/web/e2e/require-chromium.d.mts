/** Where Debian's `apt-get install chromium` puts the browser; `SUPERNAS_CHROMIUM` overrides. */
export const chromiumPath: string;
/** The Chromium executable, or undefined (skip); throws when `SUPERNAS_REQUIRE` lists `chromium`. */
export function requireChromium(): string | undefined;
/** Flags for headless Chromium with WebGPU on its software adapter. */
export function chromiumArgs(): string[];
