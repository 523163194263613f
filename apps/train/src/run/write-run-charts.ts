import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { atomicWrite } from './atomic-write.js';
import { type AccuracyPoint, accuracyChartSpec, trainingCurvesSpec } from './chart-specs.js';
import { renderSvg, svgToPng } from './render-chart.js';
import { trainingCurvesFromMetrics } from './training-curves.js';

export interface RunChartsInput {
  /** The evaluated subnets; no accuracy chart when empty. */
  readonly results: readonly AccuracyPoint[];
  readonly space: string;
  readonly dataset: string;
}

/** The records of a run's metrics.jsonl; a torn last line (a crash mid-write) is skipped. */
export async function readMetrics(runDir: string): Promise<unknown[]> {
  const text = await readFile(join(runDir, 'metrics.jsonl'), 'utf8').catch(() => '');
  const records: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line));
    } catch {
      // Only the line being written when a run died can be incomplete.
    }
  }
  return records;
}

/** Writes `name.svg` and `name.png` (twice the size) into `dir`; returns both paths. */
export async function writeChart(runDir: string, name: string, svg: string): Promise<string[]> {
  const svgPath = join(runDir, `${name}.svg`);
  const pngPath = join(runDir, `${name}.png`);
  await atomicWrite(svgPath, svg);
  await atomicWrite(pngPath, await svgToPng(svg));
  return [svgPath, pngPath];
}

/**
 * Writes a run folder's charts: `chart.svg/.png` (top-1 against MFLOPs of the evaluated
 * subnets) and `chart-training.svg/.png` (losses of the max, middle and min subnets and the LR
 * against step, from metrics.jsonl). Returns the paths written.
 */
export async function writeRunCharts(runDir: string, input: RunChartsInput): Promise<string[]> {
  const written: string[] = [];
  if (input.results.length > 0) {
    const spec = accuracyChartSpec(input.results, {
      title: `${input.space} on ${input.dataset}: top-1 vs MFLOPs`,
    });
    written.push(...(await writeChart(runDir, 'chart', await renderSvg(spec))));
  }
  const curves = trainingCurvesFromMetrics(await readMetrics(runDir));
  if (curves.losses.length > 0) {
    const spec = trainingCurvesSpec(curves, {
      title: `${input.space} on ${input.dataset}: training losses and learning rate`,
    });
    written.push(...(await writeChart(runDir, 'chart-training', await renderSvg(spec))));
  }
  return written;
}
