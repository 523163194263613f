import { describeBackend } from '@supernas/evaluator';
import * as tf from '@tensorflow/tfjs-core';
import { state } from './app-state.js';
import { lossChart } from './charts.js';
import { $ } from './dom.js';

/** The active backend with its adapter, as the backend table names it. */
export function describeActive(): string {
  const timing = state.backendChoice?.timings.find(
    (t) => t.backend.name === state.backendChoice?.backend,
  );
  return timing === undefined ? tf.getBackend() : describeBackend(timing.backend);
}

/** The latency-per-backend table and the active backend. */
export function renderBackends(): void {
  const choice = state.backendChoice!;
  $('active-backend').textContent = describeActive();
  $('backend-reason').textContent = `(${choice.reason})`;
  const body = $('backend-table').querySelector('tbody')!;
  body.replaceChildren(
    ...choice.timings.map((timing) => {
      const row = document.createElement('tr');
      const latency = timing.latency;
      const cells = latency
        ? [
            timing.label,
            latency.medianMs.toFixed(2),
            `${latency.p25Ms.toFixed(2)}–${latency.p75Ms.toFixed(2)}`,
            `${latency.minMs.toFixed(2)}–${latency.maxMs.toFixed(2)}`,
          ]
        : [timing.label, timing.error ?? 'not timed (forced backend)', '', ''];
      row.replaceChildren(
        ...cells.map((text) => Object.assign(document.createElement('td'), { textContent: text })),
      );
      if (timing.backend.name === choice.backend) row.className = 'chosen-row';
      return row;
    }),
  );
}

/** The run's config and its training curves from metrics.jsonl. */
export function renderRun(): void {
  const run = state.run!;
  $('config').textContent = JSON.stringify(run.config ?? {}, null, 2);
  const points: { step: number; loss: number; role: string }[] = [];
  for (const record of run.metrics ?? []) {
    if (record.type !== 'step' || !Array.isArray(record.losses)) continue;
    const byRole = new Map<string, number[]>();
    for (const entry of record.losses as { role: string; loss: number }[])
      byRole.set(entry.role, [...(byRole.get(entry.role) ?? []), entry.loss]);
    for (const [role, losses] of byRole)
      points.push({
        step: record.step as number,
        role,
        loss: losses.reduce((a, b) => a + b, 0) / losses.length,
      });
  }
  $('chart-metrics').replaceChildren(
    points.length === 0
      ? document.createTextNode('No metrics.jsonl in this run.')
      : lossChart(points),
  );
}
