import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, requireChromium } from './require-chromium.mjs';
import { serveFolder } from './static-server.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const executablePath = requireChromium();

interface Latencies {
  device: string;
  measuredNow: string[];
  earlier: string[];
}
declare const supernasApp: {
  latencies(): Latencies;
  state: { subnets: { subnet: { metadata: { archKey: string } } }[] };
};

describe.skipIf(executablePath === undefined)('a second visit in the same browser profile', () => {
  let server: Awaited<ReturnType<typeof serveFolder>>;
  const profile = mkdtempSync(join(tmpdir(), 'supernas-profile-'));

  beforeAll(async () => {
    server = await serveFolder(join(appDir, 'dist'));
  });

  afterAll(async () => {
    await server?.close();
    rmSync(profile, { recursive: true, force: true });
  });

  /** One visit: a browser on the persistent profile loads the demo run on wasm. */
  async function visit(): Promise<{ latencies: Latencies; exported: string[]; table: string[] }> {
    // A persistent context keeps IndexedDB in `profile` between launches, as a returning visitor's.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: executablePath!,
      args: chromiumArgs(),
      viewport: { width: 1280, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      // A fixed backend, so both visits use the same latency-table device key.
      await page.goto(`${server.url}?backend=wasm`);
      await page.getByRole('button', { name: 'Load the demo run' }).click();
      await page.waitForFunction(
        () => /^Ready:/.test(document.getElementById('status')!.textContent ?? ''),
        null,
        { timeout: 300_000 },
      );
      return await page.evaluate(() => ({
        latencies: supernasApp.latencies(),
        exported: supernasApp.state.subnets.map((subnet) => subnet.subnet.metadata.archKey),
        table: [...document.querySelectorAll('#subnet-table tbody tr td:nth-child(5)')].map(
          (cell) => cell.textContent ?? '',
        ),
      }));
    } finally {
      await context.close();
    }
  }

  it('reads the latencies measured on the first visit from IndexedDB and does not time those archs again', async () => {
    const first = await visit();
    expect(first.latencies.device).toBe('wasm');
    expect(first.latencies.earlier).toEqual([]);
    // The first visit timed every exported subnet (and any arch the search measured).
    expect(first.latencies.measuredNow).toEqual(expect.arrayContaining(first.exported));
    expect(first.table.every((text) => text === 'measured now')).toBe(true);

    const second = await visit();
    expect(second.latencies.device).toBe('wasm');
    expect(second.latencies.earlier).toEqual(expect.arrayContaining(first.latencies.measuredNow));
    const timedAgain = second.latencies.measuredNow.filter((key) =>
      first.latencies.measuredNow.includes(key),
    );
    expect(timedAgain).toEqual([]);
    expect(second.table).toEqual(first.table.map(() => 'measured earlier on this device'));
    console.log(
      `first visit timed ${first.latencies.measuredNow.length} archs; the second reused them and timed ${second.latencies.measuredNow.length} new ones`,
    );
  }, 600_000);
});
