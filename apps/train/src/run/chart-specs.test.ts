import { describe, expect, it } from 'vitest';
import { accuracyChartSpec, smoothingWindow, trainingCurvesSpec } from './chart-specs.js';
import { stepRecord } from './test-utils/step-record.js';
import { trainingCurvesFromMetrics } from './training-curves.js';

const results = [
  { label: 'min', mflops: 0.33, top1: 0.8413 },
  { label: 'mid-1', mflops: 1.2, top1: 0.835 },
  { label: 'max', mflops: 2.95, top1: 0.8525 },
];

describe('accuracyChartSpec', () => {
  it('plots top-1 in percent against MFLOPs, and captions only max and min', () => {
    const spec = accuracyChartSpec(results, { title: 'tiny on fashion-mnist' }) as unknown as {
      title: string;
      data: { values: Array<Record<string, unknown>> };
      layer: Array<{ encoding: Record<string, { field: string }>; transform?: unknown[] }>;
    };
    expect(spec.title).toBe('tiny on fashion-mnist');
    expect(spec.data.values).toEqual([
      {
        label: 'min',
        role: 'min',
        mflops: 0.33,
        top1: expect.closeTo(84.13, 10),
        caption: 'min: 84.1% at 0.33 MFLOPs',
      },
      { label: 'mid-1', role: 'middle', mflops: 1.2, top1: expect.closeTo(83.5, 10), caption: '' },
      {
        label: 'max',
        role: 'max',
        mflops: 2.95,
        top1: expect.closeTo(85.25, 10),
        caption: 'max: 85.3% at 2.95 MFLOPs',
      },
    ]);
    const [points, maxCaption, minCaption] = spec.layer;
    expect(points?.encoding.x?.field).toBe('mflops');
    expect(points?.encoding.y?.field).toBe('top1');
    expect(points?.encoding.color?.field).toBe('role');
    expect(maxCaption?.transform).toEqual([{ filter: "datum.role === 'max'" }]);
    expect(minCaption?.transform).toEqual([{ filter: "datum.role === 'min'" }]);
    expect(minCaption?.encoding.text?.field).toBe('caption');
  });
});

describe('trainingCurvesSpec', () => {
  const curves = trainingCurvesFromMetrics(
    Array.from({ length: 80 }, (_, index) =>
      stepRecord(index + 1, index < 40 ? 'none' : 'alpha', [
        ['max', 2 - index / 80],
        ['middle', 2.1 - index / 80],
        ['min', 2.2 - index / 80],
      ]),
    ),
  );
  const spec = trainingCurvesSpec(curves, { title: 'training' }) as unknown as {
    vconcat: Array<{
      layer: Array<{
        data: { values: Array<Record<string, unknown>> };
        mark: { type: string };
        encoding: Record<string, { field?: string; title?: unknown }>;
        transform?: Array<{ frame?: number[]; groupby?: string[] }>;
      }>;
    }>;
    resolve: unknown;
  };

  it('draws the losses raw and smoothed per subnet and phase, above the learning rate', () => {
    const [losses, learningRate] = spec.vconcat;
    const [raw, smoothed, rule, text] = losses?.layer ?? [];
    expect(raw?.encoding.y?.field).toBe('loss');
    expect(raw?.data.values).toHaveLength(240);
    expect(raw?.data.values[0]).toEqual({ step: 1, role: 'max', loss: 2, phase: 'labels' });
    expect(raw?.data.values.at(-1)).toMatchObject({
      step: 80,
      role: 'middle',
      phase: 'distillation',
    });
    expect(smoothed?.encoding.y?.field).toBe('smoothed');
    expect(smoothed?.transform?.[0]?.frame).toEqual([-(smoothingWindow(80) - 1), 0]);
    expect(smoothed?.transform?.[0]?.groupby).toEqual(['role', 'phase']);
    expect(smoothed?.encoding.detail?.field).toBe('phase');
    expect(rule?.mark.type).toBe('rule');
    expect(rule?.data.values[0]?.step).toBe(41);
    expect(text?.data.values[0]?.text).toEqual([
      'students: labels until',
      'step 41, then distillation',
    ]);
    const lrLine = learningRate?.layer[0];
    expect(lrLine?.encoding.y?.field).toBe('learningRate');
    expect(lrLine?.data.values).toHaveLength(80);
    expect(learningRate?.layer[1]?.mark.type).toBe('rule');
    expect(spec.resolve).toEqual({ scale: { x: 'shared' } });
  });

  it('smooths over about a fortieth of the run', () => {
    expect(smoothingWindow(20)).toBe(1);
    expect(smoothingWindow(1406)).toBe(35);
  });
});
