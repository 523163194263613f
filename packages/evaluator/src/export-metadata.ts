import { type ArchConfig, normalizeArch } from '@supernas/search-space';
import { RunArtifactError } from './errors.js';

/** The `metadata.json` that `supernas export` writes beside an exported subnet (format 1). */
export interface ExportMetadata {
  readonly format: 'supernas-export';
  readonly formatVersion: 1;
  readonly space: string;
  readonly arch: ArchConfig;
  readonly archKey: string;
  readonly mflops: number;
  readonly params: number;
  readonly numClasses: number;
  readonly inputName: string;
  readonly outputName: string;
  readonly inputLayout: 'NHWC';
  /** `[-1, resolution, resolution, channels]`. */
  readonly inputShape: readonly number[];
  /** Per channel, on pixels scaled to [0, 1]: `(pixel / 255 - mean) / std`. */
  readonly normalization: { readonly mean: readonly number[]; readonly std: readonly number[] };
  readonly classNames?: readonly string[];
  readonly dataset?: string;
  /** Test top-1 when exported with `--eval`. */
  readonly top1?: number;
  readonly testExamples?: number;
  readonly step?: number;
  /** `model.json` and / or `model.onnx`. */
  readonly files: readonly string[];
}

/** Checks the fields the evaluator reads, with an error naming the file and the field. */
export function parseExportMetadata(value: unknown, path: string): ExportMetadata {
  const fail = (message: string): never => {
    throw new RunArtifactError(path, message);
  };
  if (typeof value !== 'object' || value === null) return fail('is not a JSON object');
  const record = value as Record<string, unknown>;
  if (record.format !== 'supernas-export')
    fail(`format is ${JSON.stringify(record.format)}, expected 'supernas-export'`);
  if (record.formatVersion !== 1)
    fail(`formatVersion is ${JSON.stringify(record.formatVersion)}, expected 1`);
  for (const field of ['mflops', 'params', 'numClasses'] as const) {
    if (typeof record[field] !== 'number') fail(`${field} is missing or not a number`);
  }
  const shape = record.inputShape;
  if (!Array.isArray(shape) || shape.length !== 4 || !shape.every((n) => typeof n === 'number'))
    fail('inputShape is not [batch, height, width, channels]');
  const normalization = record.normalization as ExportMetadata['normalization'] | undefined;
  const channels = (shape as number[])[3];
  if (
    normalization === undefined ||
    !Array.isArray(normalization.mean) ||
    !Array.isArray(normalization.std) ||
    normalization.mean.length !== channels ||
    normalization.std.length !== channels
  ) {
    fail(`normalization needs mean and std with ${channels} values (one per input channel)`);
  }
  if (!Array.isArray(record.files)) fail('files is missing');
  let arch: ArchConfig;
  try {
    arch = normalizeArch(record.arch);
  } catch (error) {
    throw new RunArtifactError(path, 'arch is not an arch config', { cause: error });
  }
  return { ...(record as unknown as ExportMetadata), arch };
}
