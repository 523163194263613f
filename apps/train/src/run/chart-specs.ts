import type { TopLevelSpec } from 'vega-lite';
import type { SubnetRole, TrainingCurves } from './training-curves.js';

/*
 * Vega-Lite specs of the run charts, as pure functions of plain data: no Node, no tfjs, no vega
 * runtime (the import above is types only), so a browser app can render the same charts with
 * vega-embed from a run's results.json and metrics.jsonl.
 */

export interface AccuracyPoint {
  /** `min`, `max`, `mid-1`, ...: the subnet's label in results.json. */
  readonly label: string;
  readonly mflops: number;
  /** Top-1 accuracy as a fraction (0.85 for 85%), as results.json stores it. */
  readonly top1: number;
}

const roles: readonly SubnetRole[] = ['max', 'middle', 'min'];
const roleColors = ['#d62728', '#1f77b4', '#2ca02c'];
const schema = 'https://vega.github.io/schema/vega-lite/v6.json';
const font = 'DejaVu Sans, Verdana, sans-serif';
const baseConfig = {
  font,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: 'start' as const },
};

/**
 * Top-1 (%) against MFLOPs for every evaluated subnet; the max and min subnets are labelled
 * with their accuracy and MFLOPs.
 */
export function accuracyChartSpec(
  points: readonly AccuracyPoint[],
  options: { readonly title: string },
): TopLevelSpec {
  const values = points.map((point) => {
    const role: SubnetRole =
      point.label === 'max' ? 'max' : point.label === 'min' ? 'min' : 'middle';
    const top1 = point.top1 * 100;
    return {
      label: point.label,
      role,
      mflops: point.mflops,
      top1,
      caption:
        role === 'middle'
          ? ''
          : `${point.label}: ${top1.toFixed(1)}% at ${point.mflops.toFixed(2)} MFLOPs`,
    };
  });
  const x = {
    field: 'mflops',
    type: 'quantitative' as const,
    title: 'MFLOPs',
    scale: { zero: false, nice: true, padding: 24 },
  };
  const y = {
    field: 'top1',
    type: 'quantitative' as const,
    title: 'top-1 (%)',
    scale: { zero: false, nice: true, padding: 24 },
  };
  const caption = (role: 'max' | 'min') => ({
    transform: [{ filter: `datum.role === '${role}'` }],
    mark: {
      type: 'text' as const,
      align: role === 'max' ? ('right' as const) : ('left' as const),
      dx: role === 'max' ? -10 : 10,
      dy: -12,
      fontSize: 11,
    },
    encoding: { x, y, text: { field: 'caption', type: 'nominal' as const } },
  });
  return {
    $schema: schema,
    title: options.title,
    width: 520,
    height: 320,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 90, opacity: 0.9 },
        encoding: {
          x,
          y,
          color: {
            field: 'role',
            type: 'nominal',
            title: 'subnet',
            scale: { domain: [...roles], range: roleColors },
          },
          tooltip: [
            { field: 'label', type: 'nominal' },
            { field: 'mflops', type: 'quantitative', format: '.3f' },
            { field: 'top1', type: 'quantitative', format: '.2f', title: 'top-1 (%)' },
          ],
        },
      },
      caption('max'),
      caption('min'),
    ],
    config: baseConfig,
  };
}

/** Steps averaged by the smoothed loss curves: about 1/40 of the run, at least 1. */
export function smoothingWindow(steps: number): number {
  return Math.max(1, Math.round(steps / 40));
}

/**
 * The training curves: the loss of the max, middle (mean of the middle subnets) and min
 * subnets against step, raw and smoothed, above the learning rate; a rule marks the step where
 * the students switched from the labels to distillation.
 */
export function trainingCurvesSpec(
  curves: TrainingCurves,
  options: { readonly title: string },
): TopLevelSpec {
  const lastStep = Math.max(1, ...curves.losses.map((point) => point.step));
  // Smoothing and lines stop at the switch: the students' loss changes meaning there.
  const lossValues = curves.losses.map((point) => ({
    ...point,
    phase:
      curves.labelWarmupStep !== undefined && point.step >= curves.labelWarmupStep
        ? 'distillation'
        : 'labels',
  }));
  const window = smoothingWindow(lastStep);
  const x = {
    field: 'step',
    type: 'quantitative' as const,
    title: 'step',
    scale: { domain: [0, lastStep], nice: false },
    // Steps are whole numbers: no 2.5 ticks on a short run.
    axis: { tickMinStep: 1, format: ',d' },
  };
  const color = {
    field: 'role',
    type: 'nominal' as const,
    title: window > 1 ? ['subnet', `(mean of ${window} steps)`] : 'subnet',
    scale: { domain: [...roles], range: roleColors },
    legend: { symbolOpacity: 1, symbolStrokeWidth: 2.5 },
  };
  const switchStep = curves.labelWarmupStep;
  // Two short lines: the label has to fit beside the rule inside the plot.
  const switchText = ['students: labels until', `step ${switchStep}, then distillation`];
  const marker = (withText: boolean) =>
    switchStep === undefined
      ? []
      : [
          {
            data: { values: [{ step: switchStep, text: switchText }] },
            mark: { type: 'rule' as const, strokeDash: [5, 4], color: '#555' },
            encoding: { x: { field: 'step', type: 'quantitative' as const } },
          },
          ...(withText
            ? [
                {
                  data: {
                    values: [{ step: switchStep, text: switchText }],
                  },
                  mark: {
                    type: 'text' as const,
                    // Inside the plot: left of the rule when it sits in the right half.
                    align: switchStep > lastStep / 2 ? ('right' as const) : ('left' as const),
                    baseline: 'top' as const,
                    dx: switchStep > lastStep / 2 ? -4 : 4,
                    y: 4,
                    fontSize: 11,
                    color: '#555',
                  },
                  encoding: {
                    x: { field: 'step', type: 'quantitative' as const },
                    text: { field: 'text', type: 'nominal' as const },
                  },
                },
              ]
            : []),
        ];
  return {
    $schema: schema,
    title: options.title,
    vconcat: [
      {
        width: 560,
        height: 280,
        layer: [
          // The raw losses under the smoothed ones, when there is smoothing.
          ...(window > 1
            ? [
                {
                  data: { values: lossValues },
                  mark: { type: 'line' as const, strokeWidth: 1, opacity: 0.2 },
                  encoding: {
                    x,
                    y: { field: 'loss', type: 'quantitative' as const, title: 'loss' },
                    color,
                    detail: { field: 'phase', type: 'nominal' as const },
                  },
                },
              ]
            : []),
          {
            data: { values: lossValues },
            transform: [
              {
                window: [{ op: 'mean', field: 'loss', as: 'smoothed' }],
                frame: [-(window - 1), 0],
                groupby: ['role', 'phase'],
                sort: [{ field: 'step' }],
              },
            ],
            mark: { type: 'line', strokeWidth: 2 },
            encoding: {
              x,
              y: { field: 'smoothed', type: 'quantitative', title: 'loss' },
              color,
              detail: { field: 'phase', type: 'nominal' },
            },
          },
          ...marker(true),
        ],
      },
      {
        width: 560,
        height: 110,
        layer: [
          {
            data: { values: curves.learningRates.map((point) => ({ ...point })) },
            mark: { type: 'line', strokeWidth: 1.5, color: '#7f7f7f' },
            encoding: {
              x,
              y: { field: 'learningRate', type: 'quantitative', title: 'learning rate' },
            },
          },
          ...marker(false),
        ],
      },
    ],
    resolve: { scale: { x: 'shared' } },
    config: baseConfig,
  };
}
