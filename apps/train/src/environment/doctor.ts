import { checkBackends } from './check-backends.js';
import { checkDatasets } from './check-datasets.js';
import { checkTools } from './check-tools.js';
import type { DoctorEntry } from './doctor-entry.js';

export interface DoctorReport {
  /** In the order `--backend auto` tries them. */
  readonly backends: readonly DoctorEntry[];
  readonly datasets: readonly DoctorEntry[];
  readonly tools: readonly DoctorEntry[];
}

/** Checks every backend, data set and external tool supernas can use on this machine. */
export async function runDoctor(): Promise<DoctorReport> {
  const [backends, tools] = await Promise.all([checkBackends(), checkTools()]);
  return { backends, datasets: checkDatasets(), tools };
}

function formatSection(title: string, entries: readonly DoctorEntry[]): string[] {
  const width = Math.max(...entries.map((entry) => entry.name.length));
  const lines = [title];
  for (const entry of entries) {
    lines.push(`  ${entry.usable ? 'yes' : 'no '}  ${entry.name.padEnd(width)}  ${entry.detail}`);
    if (entry.fix !== null) lines.push(`       ${''.padEnd(width)}  to get it: ${entry.fix}`);
  }
  return lines;
}

/** The report as text: a section each, one line an entry, the fix under each missing one. */
export function formatDoctorReport(report: DoctorReport): string {
  const auto = report.backends.find((entry) => entry.usable);
  return [
    ...formatSection('backends (usable? --backend auto tries them in this order)', report.backends),
    `  --backend auto picks: ${auto?.id ?? 'none'}`,
    '',
    ...formatSection('data sets', report.datasets),
    '',
    ...formatSection('tools', report.tools),
    '',
  ].join('\n');
}
