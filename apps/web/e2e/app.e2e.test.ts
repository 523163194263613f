import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, requireChromium } from './require-chromium.mjs';
import { serveFolder } from './static-server.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(appDir, 'dist');
export const artifactsDir = join(appDir, 'e2e/artifacts');
const executablePath = requireChromium();

interface Sample {
  file: string;
  label: number;
  logits: Record<string, number[]>;
}
const samples = (
  JSON.parse(readFileSync(join(appDir, 'public/demo/samples/samples.json'), 'utf8')) as {
    samples: Sample[];
  }
).samples;
const subnetPaths = Object.keys(samples[0]!.logits);

type App = {
  loadDemo(): Promise<void>;
  chooseBackend(mode: string): Promise<void>;
  search(budget: { maxLatencyMs: number } | { maxMflops: number }): Promise<void>;
  sampleLogits(subnetPath: string, file: string): Promise<number[]>;
  backend(): string;
  webgpuAdapterInfo(): Promise<{
    isFallbackAdapter: boolean;
    vendor: string;
    architecture: string;
  }>;
  state: {
    backendChoice?: {
      backend: string;
      reason: string;
      timings: { label: string; latency?: { medianMs: number } }[];
    };
    run?: { source: { id: string } };
    subnets: {
      subnet: { path: string; metadata: { archKey: string } };
      latency?: { medianMs: number };
    }[];
    result?: { chosen: { key: string; latencyMs?: number; latencySource?: string; cost: number } };
  };
};
declare const supernasApp: App;

const argmax = (values: readonly number[]) => values.indexOf(Math.max(...values));
const maxAbsDifference = (a: readonly number[], b: readonly number[]) =>
  Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

describe.skipIf(executablePath === undefined)('the web app in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let server: Awaited<ReturnType<typeof serveFolder>>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    server = await serveFolder(distDir);
    browser = await chromium.launch({ executablePath, args: chromiumArgs() });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Load the demo run' }).click();
    await page.waitForFunction(
      () => /^Ready:/.test(document.getElementById('status')!.textContent ?? ''),
      null,
      {
        timeout: 300_000,
      },
    );
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads the demo run, times every backend with the adapter named and picks the fastest', async () => {
    const choice = await page.evaluate(() => supernasApp.state.backendChoice!);
    const adapter = await page.evaluate(() => supernasApp.webgpuAdapterInfo());
    console.log(`backend choice: ${choice.backend}: ${choice.reason}`);
    expect(adapter.isFallbackAdapter).toBe(true);
    const timed = choice.timings.filter((timing) => timing.latency !== undefined);
    expect(timed.map((timing) => timing.label.split(' ')[0])).toEqual([
      'webgpu',
      'webgl',
      'wasm',
      'cpu',
    ]);
    expect(choice.timings[0]!.label).toMatch(/^webgpu \(.+, software fallback\)$/);
    const fastest = Math.min(...timed.map((timing) => timing.latency!.medianMs));
    expect(timed.find((timing) => timing.label.startsWith(choice.backend))!.latency!.medianMs).toBe(
      fastest,
    );
    await page.screenshot({ path: join(artifactsDir, 'desktop.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  it('classifies the sample test images as the run did, on the auto-chosen backend', async () => {
    for (const subnetPath of subnetPaths) {
      for (const sample of samples) {
        const logits = await page.evaluate(([path, file]) => supernasApp.sampleLogits(path, file), [
          subnetPath,
          sample.file,
        ] as const);
        const expected = sample.logits[subnetPath]!;
        expect(argmax(logits), `${subnetPath} ${sample.file}`).toBe(argmax(expected));
        expect(maxAbsDifference(logits, expected), `${subnetPath} ${sample.file}`).toBeLessThan(
          1e-4,
        );
      }
    }
  });

  it('runs on webgpu with the logits of the cpu backend within 1e-4', async () => {
    await page.evaluate(() => supernasApp.chooseBackend('webgpu'));
    expect(await page.evaluate(() => supernasApp.backend())).toBe('webgpu');
    const onWebgpu: number[][] = [];
    for (const subnetPath of subnetPaths) {
      for (const sample of samples.slice(0, 4)) {
        onWebgpu.push(
          await page.evaluate(([path, file]) => supernasApp.sampleLogits(path, file), [
            subnetPath,
            sample.file,
          ] as const),
        );
      }
    }
    await page.evaluate(() => supernasApp.chooseBackend('cpu'));
    expect(await page.evaluate(() => supernasApp.backend())).toBe('cpu');
    let index = 0;
    for (const subnetPath of subnetPaths) {
      for (const sample of samples.slice(0, 4)) {
        const onCpu = await page.evaluate(([path, file]) => supernasApp.sampleLogits(path, file), [
          subnetPath,
          sample.file,
        ] as const);
        expect(
          maxAbsDifference(onWebgpu[index++]!, onCpu),
          `${subnetPath} ${sample.file}`,
        ).toBeLessThan(1e-4);
      }
    }
  }, 300_000);

  it('finds an arch whose latency measured on this device is within a latency budget', async () => {
    await page.evaluate(() => supernasApp.chooseBackend('auto'));
    const latencies = await page.evaluate(() =>
      supernasApp.state.subnets.map((subnet) => subnet.latency!.medianMs),
    );
    const sorted = [...latencies].sort((a, b) => a - b);
    const budget = (sorted[1]! + sorted[2]!) / 2;
    await page.evaluate((maxLatencyMs) => supernasApp.search({ maxLatencyMs }), budget);
    const chosen = await page.evaluate(() => supernasApp.state.result!.chosen);
    expect(chosen.latencySource).toBe('measured');
    expect(chosen.latencyMs!).toBeLessThanOrEqual(budget);
    // An impossible budget is an error on the page, not a crash.
    await page.evaluate(() => supernasApp.search({ maxLatencyMs: 1e-6 }));
    expect(await page.locator('#status').textContent()).toMatch(/no subnet fits a latency budget/);
  }, 300_000);

  it('loads a run folder picked with the folder picker, on a backend chosen in the select box', async () => {
    await page.selectOption('#backend-select', 'wasm');
    await page.waitForFunction(
      () =>
        supernasApp.state.backendChoice?.backend === 'wasm' &&
        /^Ready:/.test(document.getElementById('status')!.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    await page.setInputFiles('#run-folder', join(appDir, 'public/demo'));
    await page.waitForFunction(
      () =>
        supernasApp.state.run?.source.id.startsWith('files:') === true &&
        /^Ready:/.test(document.getElementById('status')!.textContent ?? ''),
      null,
      { timeout: 120_000 },
    );
    const loaded = await page.evaluate(() => ({
      subnets: supernasApp.state.subnets.length,
      backend: supernasApp.backend(),
      samples: document.querySelectorAll('#samples .sample').length,
    }));
    expect(loaded).toEqual({
      subnets: subnetPaths.length,
      backend: 'wasm',
      samples: samples.length,
    });
  }, 180_000);

  it('classifies an image given to the image picker with the chosen subnet', async () => {
    const sample = samples[2]!;
    await page.setInputFiles('#image-input', join(appDir, 'public/demo', sample.file));
    const card = page.locator('#dropped .sample').first();
    await card.waitFor({ timeout: 30_000 });
    const text = (await card.textContent()) ?? '';
    const chosenPath = await page.evaluate(() => {
      const key = supernasApp.state.result!.chosen.key;
      return supernasApp.state.subnets.find((subnet) => subnet.subnet.metadata.archKey === key)!
        .subnet.path;
    });
    const names = JSON.parse(
      readFileSync(join(appDir, 'public/demo', chosenPath, 'metadata.json'), 'utf8'),
    ).classNames as string[];
    expect(text).toContain(`test-2.png: ${names[argmax(sample.logits[chosenPath]!)]}`);
  });

  it('is readable on a phone-sized viewport', async () => {
    await page.evaluate((maxMflops) => supernasApp.search({ maxMflops }), 1e9);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifactsDir, 'phone.png'), fullPage: true });
  });
});
