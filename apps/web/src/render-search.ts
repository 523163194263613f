import type { DeviceBudget, SearchCandidate } from '@supernas/evaluator';
import * as tf from '@tensorflow/tfjs-core';
import { state } from './app-state.js';
import { type ChartPoint, tradeOffChart } from './charts.js';
import { $ } from './dom.js';

const cell = (text: string) => Object.assign(document.createElement('td'), { textContent: text });

/** "measured now" / "measured earlier on this device" / "predicted". */
export function latencySourceText(key: string): string {
  const known = state.latencies?.byKey.get(key);
  if (known === undefined) return 'predicted';
  return known.earlier ? 'measured earlier on this device' : 'measured now';
}

/** The exported subnets' names for the chart's tooltips; any other arch is shown by its key. */
function labelOf(candidate: SearchCandidate): string {
  return (
    state.subnets.find((subnet) => subnet.subnet.metadata.archKey === candidate.key)?.label ??
    candidate.key
  );
}

function chartPoints(
  front: readonly SearchCandidate[],
  x: (candidate: SearchCandidate) => number,
): ChartPoint[] {
  const chosen = state.result!.chosen;
  const points = front.map((candidate) => ({
    label: labelOf(candidate),
    x: x(candidate),
    top1: candidate.accuracy,
    onFront: true,
    chosen: candidate.key === chosen.key,
  }));
  if (!front.some((candidate) => candidate.key === chosen.key))
    points.push({
      label: labelOf(chosen),
      x: x(chosen),
      top1: chosen.accuracy,
      onFront: false,
      chosen: true,
    });
  return points;
}

/** The two charts, the subnet table, the chosen arch and the latency model's error. */
export function renderSearch(budget: DeviceBudget | undefined): void {
  const result = state.result;
  const predicted = result?.method === 'evolutionary';
  const yLabel = predicted ? 'predicted top-1 (%)' : 'test top-1 (%)';
  if (result === undefined) {
    $('chart-mflops').replaceChildren();
    $('chart-latency').replaceChildren();
  } else {
    $('chart-mflops').replaceChildren(
      tradeOffChart(
        chartPoints(result.fronts.mflops, (candidate) => candidate.mflops),
        { x: 'MFLOPs', y: yLabel },
        budget !== undefined && 'maxMflops' in budget ? budget.maxMflops : undefined,
      ),
    );
    $('chart-latency').replaceChildren(
      result.fronts.latency === undefined
        ? document.createTextNode('No latencies on this device yet.')
        : tradeOffChart(
            chartPoints(result.fronts.latency, (candidate) => candidate.latencyMs!),
            { x: `latency on ${tf.getBackend()} (ms, median; measured or predicted)`, y: yLabel },
            budget !== undefined && 'maxLatencyMs' in budget ? budget.maxLatencyMs : undefined,
          ),
    );
  }
  $('front-caption').textContent =
    result === undefined
      ? ''
      : predicted
        ? `Pareto fronts of the ${result.evaluated} archs the evolutionary search (@supernas/search) scored with the run's predictor under this budget, plus the exported subnets.`
        : `Pareto fronts of the run's ${result.evaluated} exported subnets (this run has no predictor or no supernet checkpoint).`;
  const frontKeys = new Set(result?.front.map((candidate) => candidate.key));
  const chosenKey = result?.chosen.key;
  $('subnet-table')
    .querySelector('tbody')!
    .replaceChildren(
      ...[...state.subnets]
        .sort((a, b) => a.subnet.metadata.mflops - b.subnet.metadata.mflops)
        .map((subnet) => {
          const { metadata } = subnet.subnet;
          const row = document.createElement('tr');
          row.replaceChildren(
            cell(subnet.label),
            cell(metadata.mflops.toFixed(3)),
            cell(metadata.top1 === undefined ? '–' : `${(100 * metadata.top1).toFixed(2)}%`),
            cell(subnet.latency?.medianMs.toFixed(2) ?? '–'),
            cell(subnet.latency === undefined ? '' : latencySourceText(metadata.archKey)),
            cell(frontKeys.has(metadata.archKey) ? 'yes' : ''),
          );
          if (metadata.archKey === chosenKey) row.className = 'chosen-row';
          return row;
        }),
    );
  const model = state.latencyModel;
  $('latency-model').textContent =
    model === undefined
      ? ''
      : `Latency of archs not measured here: ridge regression on MFLOPs, blocks and input pixels, fitted on ${model.points} archs measured on this device (mean absolute error ${model.trainingErrorMs.toFixed(2)} ms).`;
  const box = $('chosen');
  const chosen = state.chosen;
  if (result === undefined || chosen === undefined) {
    box.textContent = 'No subnet fits this budget.';
    return;
  }
  const { chosen: candidate } = result;
  const accuracy = `${(100 * candidate.accuracy).toFixed(2)}% ${predicted ? 'predicted' : 'test'} top-1${
    chosen.exported?.subnet.metadata.top1 === undefined
      ? ''
      : ` (${(100 * chosen.exported.subnet.metadata.top1).toFixed(2)}% measured on the test split)`
  }`;
  const latency =
    candidate.latencyMs === undefined
      ? ''
      : `, ${candidate.latencyMs.toFixed(2)} ms median on ${tf.getBackend()} (${latencySourceText(candidate.key)})`;
  const title = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = `Chosen: ${chosen.label}`;
  title.append(
    strong,
    ` — ${candidate.mflops.toFixed(3)} MFLOPs, ${accuracy}${latency}. ${result.front.length} on the front of ${result.evaluated} archs scored; ${result.measured.length} measured during this search.`,
  );
  const arch = document.createElement('code');
  arch.textContent = JSON.stringify(chosen.arch);
  box.replaceChildren(title, arch);
}
