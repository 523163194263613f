import type { TopLevelSpec } from 'vega-lite';

/** One arch a search evaluated. */
export interface SearchPoint {
  readonly mflops: number;
  /** Top-1 in percent: predicted, or measured on the held-out images. */
  readonly top1: number;
  readonly onFront: boolean;
  readonly chosen: boolean;
}

const font = 'DejaVu Sans, Verdana, sans-serif';

/**
 * Top-1 (%) against MFLOPs for every arch a search evaluated, its Pareto front as a line and
 * the chosen arch captioned. A pure function of plain data, like `accuracyChartSpec`.
 */
export function searchChartSpec(
  points: readonly SearchPoint[],
  options: { readonly title: string; readonly accuracyTitle: string },
): TopLevelSpec {
  const values = points.map((point) => ({
    ...point,
    kind: point.chosen ? 'chosen' : point.onFront ? 'Pareto front' : 'evaluated',
    caption: point.chosen
      ? `chosen: ${point.top1.toFixed(2)}% at ${point.mflops.toFixed(2)} MFLOPs`
      : '',
  }));
  const x = {
    field: 'mflops',
    type: 'quantitative' as const,
    title: 'MFLOPs',
    scale: { zero: false, nice: true, padding: 16 },
  };
  const y = {
    field: 'top1',
    type: 'quantitative' as const,
    title: options.accuracyTitle,
    scale: { zero: false, nice: true, padding: 16 },
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: options.title,
    width: 520,
    height: 320,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 28 },
        encoding: {
          x,
          y,
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: {
              domain: ['evaluated', 'Pareto front', 'chosen'],
              range: ['#9e9e9e', '#d62728', '#1f77b4'],
            },
          },
          opacity: { condition: { test: "datum.kind === 'evaluated'", value: 0.45 }, value: 1 },
        },
      },
      {
        transform: [{ filter: 'datum.onFront' }],
        mark: { type: 'line', color: '#d62728', strokeWidth: 1.5, interpolate: 'step-after' },
        encoding: { x, y, order: { field: 'mflops', type: 'quantitative' } },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'point', shape: 'diamond', filled: true, size: 160, color: '#1f77b4' },
        encoding: { x, y },
      },
      {
        transform: [{ filter: 'datum.chosen' }],
        mark: { type: 'text', align: 'right', dx: -10, dy: -12, fontSize: 11 },
        encoding: { x, y, text: { field: 'caption', type: 'nominal' } },
      },
    ],
    config: {
      font,
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 11 },
      title: { fontSize: 14, anchor: 'start' },
    },
  };
}
