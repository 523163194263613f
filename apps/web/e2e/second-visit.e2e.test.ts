import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, requireChromium } from './require-chromium.mjs';
import { serveFolder } from './static-server.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const executablePath = requireChromium();
const exportedArch = (label: string) =>
  JSON.parse(readFileSync(join(appDir, 'public/demo/subnets', label, 'metadata.json'), 'utf8'))
    .arch as { depth: number[] };
/** The max subnet at the min subnet's depths: in the space, not exported. */
const supernetArch = { ...exportedArch('max'), depth: exportedArch('min').depth };

interface Latencies {
  device: string;
  measuredNow: string[];
  earlier: string[];
}
declare const supernasApp: {
  latencies(): Latencies;
  search(budget: { maxLatencyMs: number }): Promise<void>;
  measureArch(arch: unknown): Promise<number>;
  state: {
    subnets: { subnet: { metadata: { archKey: string } }; latency?: { medianMs: number } }[];
    result?: { chosen: { key: string; latencySource?: string; latencyMs?: number } };
  };
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

  /**
   * One visit: a browser on the persistent profile loads the demo run on wasm, then searches
   * under a latency budget (by default between the 2nd and 3rd fastest exported subnets, where
   * the search picks an arch of the supernet and times it).
   */
  async function visit(givenBudget?: number): Promise<{
    latencies: Latencies;
    exported: string[];
    table: string[];
    budget: number;
  }> {
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
      const budget =
        givenBudget ??
        (await page.evaluate(() => {
          const sorted = supernasApp.state.subnets
            .map((subnet) => subnet.latency!.medianMs)
            .sort((a, b) => a - b);
          return (sorted[1]! + sorted[2]!) / 2;
        }));
      await page.evaluate((maxLatencyMs) => supernasApp.search({ maxLatencyMs }), budget);
      // An arch that is not exported, timed from the supernet as the searches time their choices.
      await page.evaluate((arch) => supernasApp.measureArch(arch), supernetArch);
      return await page.evaluate(
        (usedBudget) => ({
          budget: usedBudget,
          latencies: supernasApp.latencies(),
          exported: supernasApp.state.subnets.map((subnet) => subnet.subnet.metadata.archKey),
          table: [...document.querySelectorAll('#subnet-table tbody tr td:nth-child(5)')].map(
            (cell) => cell.textContent ?? '',
          ),
        }),
        budget,
      );
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
    // ... and the arch of the supernet (with any the latency-budget search chose and timed).
    expect(first.latencies.measuredNow.length).toBeGreaterThan(first.exported.length);
    expect(first.table.every((text) => text === 'measured now')).toBe(true);

    const second = await visit(first.budget);
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
