import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { readMetrics, writeRunCharts } from './write-run-charts.js';

function runFolder(lines: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'supernas-charts-'));
  writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n'));
  return dir;
}

const step = (index: number) =>
  JSON.stringify({
    type: 'step',
    step: index,
    learningRate: 0.1,
    studentLoss: index < 3 ? 'none' : 'alpha',
    losses: [
      { role: 'max', loss: 2 - index / 10 },
      { role: 'middle', loss: 2.1 - index / 10 },
      { role: 'min', loss: 2.2 - index / 10 },
    ],
  });

describe('readMetrics', () => {
  it('reads one record a line and skips a torn last line', async () => {
    const dir = runFolder([step(1), step(2), '{"type":"st']);
    expect((await readMetrics(dir)).map((record) => (record as { step: number }).step)).toEqual([
      1, 2,
    ]);
  });
});

describe('writeRunCharts', () => {
  it('writes chart and chart-training as SVG and PNG into the run folder', async () => {
    const dir = runFolder([1, 2, 3, 4, 5].map(step));
    const written = await writeRunCharts(dir, {
      results: [
        { label: 'min', mflops: 0.33, top1: 0.8 },
        { label: 'max', mflops: 2.95, top1: 0.85 },
      ],
      space: 'tiny',
      dataset: 'fashion-mnist',
    });
    expect(written).toEqual(
      ['chart.svg', 'chart.png', 'chart-training.svg', 'chart-training.png'].map((name) =>
        join(dir, name),
      ),
    );
    expect(readFileSync(join(dir, 'chart.svg'), 'utf8')).toContain(
      'tiny on fashion-mnist: top-1 vs MFLOPs',
    );
    expect(readFileSync(join(dir, 'chart-training.svg'), 'utf8')).toContain(
      'step 3, then distillation',
    );
    const png = await sharp(join(dir, 'chart-training.png')).metadata();
    expect(png.format).toBe('png');
    expect(png.width).toBeGreaterThan(1000);
  });

  it('writes only the training curves when no subnet was evaluated', async () => {
    const dir = runFolder([step(1)]);
    await writeRunCharts(dir, { results: [], space: 'tiny', dataset: 'mnist' });
    expect(existsSync(join(dir, 'chart.svg'))).toBe(false);
    expect(existsSync(join(dir, 'chart-training.svg'))).toBe(true);
  });
});
