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
  /** The supernet's logits for the exported archs, BN calibrated in Node on the calibration images. */
  supernetLogits: Record<string, number[]>;
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
  supernetLogits(arch: unknown, files: readonly string[]): Promise<number[][]>;
  chosenLogits(file: string): Promise<number[]>;
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
      subnet: { path: string; metadata: { archKey: string; arch: unknown } };
      latency?: { medianMs: number };
    }[];
    result?: {
      chosen: {
        key: string;
        latencyMs?: number;
        latencySource?: string;
        accuracySource: string;
        cost: number;
      };
      method: string;
      evaluated: number;
      front: { key: string }[];
      fronts: { mflops: unknown[]; latency?: unknown[] };
      measured: { latencyMs: number }[];
    };
    chosen?: { label: string; key: string; exported?: { subnet: { path: string } } };
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

  it("searches the whole space with @supernas/search and the run's predictor, fronts against MFLOPs and latency", async () => {
    const result = await page.evaluate(() => supernasApp.state.result!);
    expect(result.method).toBe('evolutionary');
    // The initial population alone is 64 archs; the demo run exports 4.
    expect(result.evaluated).toBeGreaterThan(100);
    expect(result.chosen.accuracySource).toBe('predicted');
    expect(result.fronts.mflops.length).toBeGreaterThan(1);
    expect(result.fronts.latency!.length).toBeGreaterThan(1);
    expect(await page.locator('#chart-mflops svg').count()).toBeGreaterThan(0);
    expect(await page.locator('#chart-latency svg').count()).toBeGreaterThan(0);
  });

  it('runs archs from the supernet with BN calibrated in the page, with the logits Node gets', async () => {
    const files = samples.slice(0, 6).map((sample) => sample.file);
    let worst = 0;
    for (const subnetPath of subnetPaths) {
      const arch = await page.evaluate(
        (path) =>
          supernasApp.state.subnets.find((s) => s.subnet.path === path)!.subnet.metadata.arch,
        subnetPath,
      );
      const rows = await page.evaluate(([a, f]) => supernasApp.supernetLogits(a, f), [
        arch,
        files,
      ] as const);
      rows.forEach((row, index) => {
        const expected = samples[index]!.supernetLogits[subnetPath]!;
        expect(argmax(row), `${subnetPath} ${files[index]}`).toBe(argmax(expected));
        worst = Math.max(worst, maxAbsDifference(row, expected));
      });
    }
    console.log(
      `supernet + in-page BN calibration vs Node: max |logit difference| ${worst.toExponential(2)}`,
    );
    expect(worst).toBeLessThan(1e-3);
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
    const exportedPath = await page.evaluate(() => supernasApp.state.chosen!.exported?.subnet.path);
    const names = JSON.parse(
      readFileSync(join(appDir, 'public/demo/subnets/max/metadata.json'), 'utf8'),
    ).classNames as string[];
    const logits = await page.evaluate((file) => supernasApp.chosenLogits(file), sample.file);
    // An exported subnet classifies as the run's own logits say; any other arch as the page's.
    if (exportedPath !== undefined)
      expect(argmax(logits)).toBe(argmax(sample.logits[exportedPath]!));
    expect(text).toContain(`test-2.png: ${names[argmax(logits)]}`);
  });

  it('is readable on a phone-sized viewport', async () => {
    // A budget just above the largest subnet's 2.95 MFLOPs: every arch of the space fits.
    await page.evaluate((maxMflops) => supernasApp.search({ maxMflops }), 3);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(artifactsDir, 'phone.png'), fullPage: true });
  });
});
