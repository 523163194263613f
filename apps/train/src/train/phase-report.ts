import type { PhaseTimes, RunPhase } from '@supernas/trainer';
import { formatDuration } from '../run/progress-bar.js';

/** The phases in the order a run goes through them, with the words the report uses. */
const phaseLabels: ReadonlyArray<readonly [RunPhase, string]> = [
  ['setup', 'setup (backend, data, supernet, FLOPs prior)'],
  ['data', 'waiting for batches'],
  ['sampling', 'drawing archs, yields between subnets'],
  ['ranking', 'attentive ranking forwards'],
  ['training', 'sandwich forwards + backwards'],
  ['optimizer', 'gradient clipping + SGD'],
  ['records', 'metrics + progress'],
  ['checkpoint', 'checkpoints'],
  ['calibration', 'BN calibration'],
  ['evaluation', 'test-split evaluation'],
  ['charts', 'results + charts'],
];

/**
 * The closing report of where a run's wall time went: one line per phase with its time and
 * share, then what no phase covers (starting Node, loading modules, the gaps between phases).
 */
export function formatPhaseTimes(phases: PhaseTimes, wallSeconds: number): string {
  const width = Math.max(...phaseLabels.map(([, label]) => label.length));
  const line = (label: string, seconds: number) =>
    `  ${label.padEnd(width)}  ${seconds.toFixed(1).padStart(7)} s  ${((100 * seconds) / wallSeconds).toFixed(1).padStart(5)}%`;
  const lines = [`time: ${formatDuration(wallSeconds)} end to end (${wallSeconds.toFixed(1)} s)`];
  let covered = 0;
  for (const [phase, label] of phaseLabels) {
    const seconds = phases.get(phase);
    if (seconds === 0) continue;
    covered += seconds;
    lines.push(line(label, seconds));
  }
  lines.push(line('other (Node start, modules, glue)', Math.max(0, wallSeconds - covered)));
  return lines.join('\n');
}

/** What `adaptThreadsToLoad` did during a run, for results.json. */
export interface ThreadAdaptationSummary {
  readonly maxThreads: number;
  readonly switches: number;
  readonly reducedSeconds: number;
}

/**
 * The report's line on the native backend's threads when they followed the machine's load,
 * or undefined when they never changed.
 */
export function formatThreadAdaptation(
  summary: ThreadAdaptationSummary,
  wallSeconds: number,
): string | undefined {
  if (summary.switches === 0) return undefined;
  const share = ((100 * summary.reducedSeconds) / wallSeconds).toFixed(1);
  return (
    `threads: ${summary.maxThreads}, fewer for ${summary.reducedSeconds.toFixed(1)} s (${share}%) ` +
    `while other processes kept cores busy (${summary.switches} ${summary.switches === 1 ? 'change' : 'changes'}; OMP_NUM_THREADS pins the count)`
  );
}
