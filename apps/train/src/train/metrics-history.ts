import { readFile } from 'node:fs/promises';
import { atomicWrite } from '../run/atomic-write.js';

/** A line of metrics.jsonl as far as rewinding needs it. */
export interface MetricsRecord {
  readonly type: 'step' | 'epoch';
  readonly step: number;
  readonly epoch: number;
  readonly losses?: ReadonlyArray<{ readonly loss: number }>;
}

function parseRecord(line: string): MetricsRecord | undefined {
  try {
    const record = JSON.parse(line) as Partial<MetricsRecord>;
    return (record.type === 'step' || record.type === 'epoch') &&
      Number.isInteger(record.step) &&
      Number.isInteger(record.epoch)
      ? (record as MetricsRecord)
      : undefined;
  } catch {
    // The last line of a killed run can be cut short.
    return undefined;
  }
}

/**
 * Rewinds metrics.jsonl to what a checkpoint at `step` covers, before a resumed run appends to
 * it: the records of steps run after the checkpoint (they run again), a line cut short by a kill,
 * and epoch records that `keepEpochRecord` rejects (the closing record of a run since extended)
 * go, so the file ends as an uninterrupted run's would at that step. The kept lines stay
 * byte for byte. Returns the kept step records.
 */
export async function rewindMetrics(
  path: string,
  step: number,
  keepEpochRecord: (record: MetricsRecord) => boolean,
): Promise<MetricsRecord[]> {
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const keptLines: string[] = [];
  const steps: MetricsRecord[] = [];
  for (const line of text.split('\n')) {
    const record = parseRecord(line);
    if (record === undefined || record.step > step) continue;
    if (record.type === 'epoch' && !keepEpochRecord(record)) continue;
    keptLines.push(line);
    if (record.type === 'step') steps.push(record);
  }
  const rewound = keptLines.map((line) => `${line}\n`).join('');
  if (rewound !== text) await atomicWrite(path, rewound);
  return steps;
}
