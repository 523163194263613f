import { appendFile, readFile, truncate } from 'node:fs/promises';
import { type ArchConfig, archKey, normalizeArch } from '@supernas/search-space';
import { withFileErrors } from '../run/run-file-error.js';

/** One evaluated arch, one line of `predictor-samples.jsonl` / `predictor-noise.jsonl`. */
export interface SampleRecord {
  readonly key: string;
  readonly arch: ArchConfig;
  readonly mflops: number;
  readonly params: number;
  /** Held-out top-1 as a fraction. */
  readonly top1: number;
  readonly examples: number;
  /** BN calibration batches before the measurement. */
  readonly calibrationBatches?: number;
  /** The seed of the training batches BN was calibrated on. */
  readonly calibrationSeed: number;
}

/**
 * The records of a JSON-lines file (none when it does not exist). A last line cut short by an
 * interrupted write is dropped: that arch is evaluated again.
 */
export async function readSampleRecords(path: string): Promise<SampleRecord[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: SampleRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: SampleRecord;
    try {
      parsed = JSON.parse(line) as SampleRecord;
    } catch {
      continue;
    }
    const arch = normalizeArch(parsed.arch);
    records.push({ ...parsed, arch, key: archKey(arch) });
  }
  return records;
}

/** Appends one record as a line; a crash leaves at most the one line half written. */
export async function appendSampleRecord(path: string, record: SampleRecord): Promise<void> {
  await withFileErrors('predictor samples', path, () =>
    appendFile(path, `${JSON.stringify(record)}\n`),
  );
}

/**
 * Cuts a last line that an interrupted write left without its newline, so the next record
 * starts on a line of its own.
 */
export async function dropPartialLine(path: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (text === '' || text.endsWith('\n')) return;
  const keep = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8');
  await withFileErrors('predictor samples', path, () => truncate(path, keep));
}
