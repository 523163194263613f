// `pnpm bench` (apps/web): times the demo run's tiny min and max subnets and AttentiveNAS-A0 on
// webgpu, webgl and wasm in one page of headless Chromium, with the WebGPU adapter named.
// Needs `pnpm build` first (turbo's bench task does it). Writes bench/results/latency.json.
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumArgs, requireChromium } from '../e2e/require-chromium.mjs';
import { serveFolder } from '../e2e/static-server.mjs';
import { makeBenchModels } from './make-bench-models.mjs';

const appDir = fileURLToPath(new URL('..', import.meta.url));
const dist = join(appDir, 'dist');
const modelsCache = join(appDir, '.bench-models');
const executablePath = requireChromium();
if (executablePath === undefined) process.exit(0);
if (!existsSync(join(dist, 'bench.html')))
  throw new Error(`no ${dist}/bench.html: run pnpm build first`);
if (!existsSync(join(modelsCache, 'a0/model.json'))) {
  console.log('writing the A0 bench model (seeded weights; latency only)…');
  await makeBenchModels(modelsCache);
}
cpSync(modelsCache, join(dist, 'bench-models'), { recursive: true });

const server = await serveFolder(dist);
const browser = await chromium.launch({ executablePath, args: chromiumArgs() });
try {
  const page = await browser.newPage();
  const query = process.argv.includes('--quick') ? '?runs=3&warmup=1' : '';
  await page.goto(`${server.url}bench.html${query}`);
  await page.waitForFunction(() => document.title === 'bench done', null, { timeout: 1_200_000 });
  const rows = await page.evaluate(() => globalThis.benchRows);
  const userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(`${userAgent}\n`);
  const models = [...new Set(rows.map((row) => row.model))];
  const labels = [...new Set(rows.map((row) => row.label))];
  const cell = (model, label) => {
    const row = rows.find((r) => r.model === model && r.label === label);
    return row?.medianMs === undefined
      ? row?.error
        ? 'failed'
        : '-'
      : `${row.medianMs.toFixed(2)} ms`;
  };
  console.log(['model (MFLOPs)', ...labels].join(' | '));
  for (const model of models) {
    const mflops = rows.find((row) => row.model === model).mflops;
    console.log(
      [`${model} (${mflops.toFixed(2)})`, ...labels.map((label) => cell(model, label))].join(' | '),
    );
  }
  mkdirSync(join(appDir, 'bench/results'), { recursive: true });
  writeFileSync(
    join(appDir, 'bench/results/latency.json'),
    `${JSON.stringify({ userAgent, rows }, null, 2)}\n`,
  );
} finally {
  await browser.close();
  await server.close();
}
