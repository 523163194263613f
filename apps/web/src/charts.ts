import * as Plot from '@observablehq/plot';

export interface ChartPoint {
  readonly label: string;
  readonly x: number;
  readonly top1: number;
  readonly onFront: boolean;
  readonly chosen: boolean;
}

/**
 * Accuracy against a cost, the Pareto front as a step line, the budget as a rule. A budget far
 * beyond every point (more than twice the largest cost, as "no limit" is often given) is left
 * out, so it cannot squash the points into one edge of the chart.
 */
export function tradeOffChart(
  points: readonly ChartPoint[],
  labels: { readonly x: string; readonly y: string },
  budget?: number,
): Element {
  const front = points.filter((point) => point.onFront).sort((a, b) => a.x - b.x);
  const largest = Math.max(0, ...points.map((point) => point.x));
  const rule = budget !== undefined && budget <= 2 * largest ? budget : undefined;
  return Plot.plot({
    width: 480,
    height: 280,
    marginLeft: 48,
    grid: true,
    x: { label: labels.x },
    y: { label: labels.y },
    color: {
      domain: ['on the front', 'other', 'chosen'],
      range: ['#2563eb', '#9ca3af', '#d97706'],
      legend: true,
    },
    marks: [
      Plot.line(front, {
        x: 'x',
        y: (point: ChartPoint) => 100 * point.top1,
        curve: 'step-after',
        stroke: '#2563eb',
      }),
      Plot.dot(points, {
        x: 'x',
        y: (point: ChartPoint) => 100 * point.top1,
        r: (point: ChartPoint) => (point.chosen ? 7 : 3.5),
        fill: (point: ChartPoint) =>
          point.chosen ? 'chosen' : point.onFront ? 'on the front' : 'other',
        title: (point: ChartPoint) =>
          `${point.label}: ${(100 * point.top1).toFixed(2)}% at ${point.x.toFixed(2)}`,
      }),
      ...(rule === undefined
        ? []
        : [Plot.ruleX([rule], { stroke: '#d97706', strokeDasharray: '4 3' })]),
    ],
  });
}

export interface LossPoint {
  readonly step: number;
  readonly loss: number;
  readonly role: string;
}

/** Training loss per step, one line per sandwich role (max, middle, min). */
export function lossChart(points: readonly LossPoint[]): Element {
  return Plot.plot({
    width: 640,
    height: 260,
    marginLeft: 48,
    grid: true,
    x: { label: 'step' },
    y: { label: 'loss' },
    color: { legend: true },
    marks: [Plot.line(points, { x: 'step', y: 'loss', stroke: 'role' })],
  });
}
