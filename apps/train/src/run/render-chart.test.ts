import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { accuracyChartSpec, trainingCurvesSpec } from './chart-specs.js';
import { renderSvg, svgToPng } from './render-chart.js';
import { trainingCurvesFromMetrics } from './training-curves.js';

/** The tick labels of each axis (also those vega hides where they would overlap), in order. */
function axisLabels(svg: string): string[][] {
  const groups = svg.split('role-axis-label').slice(1);
  return groups.map((group) =>
    [...group.split('</g>')[0]!.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]!),
  );
}

/** Whether the ticks step evenly by 1, 2, 2.5 or 5 times a power of ten, from a multiple of it. */
function isRoundSequence(labels: readonly string[]): boolean {
  const values = labels.map((label) => Number(label.replace(/,/g, '')));
  if (values.length < 2 || values.some((value) => !Number.isFinite(value))) return false;
  const step = values[1]! - values[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step));
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  return (
    [1, 2, 2.5, 5].some((round) => near(mantissa, round)) &&
    values.every((value, index) => near((value - values[0]!) / step, index)) &&
    near(values[0]! / step, Math.round(values[0]! / step))
  );
}

describe('renderSvg', () => {
  it('renders the accuracy chart to SVG with round tick labels on both axes', async () => {
    const svg = await renderSvg(
      accuracyChartSpec(
        [
          { label: 'min', mflops: 0.3254, top1: 0.84131 },
          { label: 'mid-1', mflops: 1.7012, top1: 0.8377 },
          { label: 'max', mflops: 2.9459, top1: 0.85252 },
        ],
        { title: 'tiny on fashion-mnist: top-1 vs MFLOPs' },
      ),
    );
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('max: 85.3% at 2.95 MFLOPs');
    expect(svg).toContain('min: 84.1% at 0.33 MFLOPs');
    const axes = axisLabels(svg);
    expect(axes).toHaveLength(2);
    for (const labels of axes) {
      expect(labels.length).toBeGreaterThanOrEqual(3);
      expect(isRoundSequence(labels), labels.join(' ')).toBe(true);
    }
  });

  it('renders the training curves with round step, loss and learning-rate ticks', async () => {
    const records = Array.from({ length: 1406 }, (_, index) => ({
      type: 'step',
      step: index + 1,
      learningRate: 0.05 * (1 + Math.cos((Math.PI * index) / 1406)),
      studentLoss: index < 703 ? 'none' : 'alpha',
      losses: [
        { role: 'max', loss: 2.3 * Math.exp(-index / 300) + 0.41 },
        { role: 'middle', loss: 2.4 * Math.exp(-index / 300) + 0.43 },
        { role: 'min', loss: 2.5 * Math.exp(-index / 300) + 0.47 },
      ],
    }));
    const svg = await renderSvg(
      trainingCurvesSpec(trainingCurvesFromMetrics(records), { title: 'training' }),
    );
    expect(svg).toContain('step 704, then distillation');
    const axes = axisLabels(svg);
    expect(axes.length).toBeGreaterThanOrEqual(4);
    for (const labels of axes) expect(isRoundSequence(labels), labels.join(' ')).toBe(true);
    expect(axes.flat()).toContain('1,400');
  });
});

describe('svgToPng', () => {
  it('rasterises at twice the size with the text drawn', async () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><text x="4" y="28" font-family="DejaVu Sans" font-size="24">88</text></svg>';
    const png = await svgToPng(svg);
    const image = sharp(png);
    expect(await image.metadata()).toMatchObject({ format: 'png', width: 240, height: 80 });
    // Glyphs put dark pixels on the white background; a missing font would leave it blank.
    const { data } = await image.greyscale().raw().toBuffer({ resolveWithObject: true });
    expect(Math.min(...data)).toBeLessThan(64);
  });
});

describe('renderSvg on a short run', () => {
  it('puts the step ticks on whole steps', async () => {
    const records = [1, 2, 3, 4, 5].map((step) => ({
      type: 'step',
      step,
      learningRate: 0.1 / step,
      studentLoss: 'alpha',
      losses: [{ role: 'max', loss: 2 / step }],
    }));
    const svg = await renderSvg(
      trainingCurvesSpec(trainingCurvesFromMetrics(records), { title: 'short' }),
    );
    const [stepAxis] = axisLabels(svg);
    expect(stepAxis).toEqual(['0', '1', '2', '3', '4', '5']);
  });
});
