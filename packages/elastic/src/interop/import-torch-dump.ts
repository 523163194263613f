import { formatValue } from '@supernas/errors';
import type { SearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { createSupernet } from '../create-supernet.js';
import { firstDifference } from '../io/space-difference.js';
import { firstConvNames } from '../parameter-names.js';
import { supernetLayout } from '../supernet-layout.js';
import type { Supernet } from '../types.js';
import {
  type TorchDump,
  type TorchDumpManifest,
  type TorchDumpTensor,
  torchDumpFormat,
  torchDumpFormatVersion,
} from './torch-dump-format.js';
import { TorchImportError } from './torch-import-error.js';
import { torchLayoutOf, torchToTfjsLayout } from './torch-to-tfjs-layout.js';

export interface ImportTorchDumpOptions {
  /** The space the supernet must have; a dump of another space is refused, naming the difference. */
  readonly space?: SearchSpace;
  /** Prefix of the tfjs variable names (see `createSupernet`). */
  readonly variablePrefix?: string;
}

/**
 * Reference buffers that no forward pass reads: the BN step counters and AttentiveNAS'
 * `bn_tracking` statistics of the largest and smallest subnets.
 */
function isIgnoredKey(name: string): boolean {
  return name.endsWith('.num_batches_tracked') || name.includes('.bn_tracking.');
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((size, axis) => size === b[axis]);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0;
}

function isShape(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.every((size) => Number.isInteger(size) && size >= 0);
}

function checkManifest(manifest: TorchDumpManifest, byteLength: number): void {
  if (typeof manifest !== 'object' || manifest === null) {
    throw new TorchImportError('format', `manifest is ${String(manifest)}, expected an object`);
  }
  if (manifest.format !== torchDumpFormat || manifest.formatVersion !== torchDumpFormatVersion) {
    throw new TorchImportError(
      'format',
      `manifest has format ${formatValue(manifest.format)} version ${formatValue(manifest.formatVersion)}, expected '${torchDumpFormat}' version ${torchDumpFormatVersion}`,
      { expected: torchDumpFormat, actual: manifest.format },
    );
  }
  if (typeof manifest.space !== 'object' || manifest.space === null) {
    throw new TorchImportError('format', 'manifest has no space', { actual: manifest.space });
  }
  if (!isCount(manifest.numClasses)) {
    throw new TorchImportError(
      'format',
      `numClasses is ${String(manifest.numClasses)}, expected a positive integer`,
      {
        actual: manifest.numClasses,
      },
    );
  }
  const tensors: readonly TorchDumpTensor[] = manifest.tensors;
  if (!Array.isArray(tensors)) {
    throw new TorchImportError('format', 'manifest has no tensors list', { actual: tensors });
  }
  for (const entry of tensors) {
    if (typeof entry.name !== 'string' || !isShape(entry.shape)) {
      throw new TorchImportError(
        'format',
        `tensor entry ${formatValue(entry)} needs a name and a shape of non-negative integers`,
        { key: entry.name, actual: entry.shape },
      );
    }
    const elements = entry.shape.reduce((a: number, b: number) => a * b, 1);
    if (entry.dtype !== 'float32') {
      throw new TorchImportError(
        'data',
        `tensor ${entry.name} has dtype ${entry.dtype}, expected float32`,
        {
          key: entry.name,
          expected: 'float32',
          actual: entry.dtype,
        },
      );
    }
    if (
      entry.length !== elements * 4 ||
      entry.offset < 0 ||
      entry.offset + entry.length > byteLength
    ) {
      throw new TorchImportError(
        'data',
        `tensor ${entry.name} claims bytes [${entry.offset}, ${entry.offset + entry.length}) for shape [${entry.shape.join(', ')}] (${elements * 4} bytes); the data has ${byteLength} bytes`,
        { key: entry.name, expected: elements * 4, actual: entry.length },
      );
    }
  }
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function readValues(bytes: Uint8Array, entry: TorchDumpTensor): Float32Array {
  const start = bytes.byteOffset + entry.offset;
  const count = entry.length / 4;
  if (littleEndian && start % 4 === 0) return new Float32Array(bytes.buffer, start, count);
  const view = new DataView(bytes.buffer, start, entry.length);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
  return values;
}

/** The tfjs shape a PyTorch tensor becomes. */
function tfjsShape(entry: TorchDumpTensor): readonly number[] {
  const layout = torchLayoutOf(entry.name, entry.shape.length);
  const [a, b, c, d] = entry.shape as [number, number, number, number];
  if (layout === 'conv') return [c, d, b, a];
  if (layout === 'depthwise') return [c, d, a, b];
  if (layout === 'linear') return [b, a];
  return entry.shape;
}

function describeProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, 8).join('; ');
  return problems.length > 8 ? `${shown}; and ${problems.length - 8} more` : shown;
}

/**
 * Builds a supernet from a PyTorch dump already in memory (see `importTorchDump`). Every key and
 * shape is checked before any weight is made; the first problem is thrown with its key, and the
 * message lists the others.
 */
export function supernetFromTorchDump(
  dump: TorchDump,
  options: ImportTorchDumpOptions = {},
): Supernet {
  const bytes = dump.data instanceof Uint8Array ? dump.data : new Uint8Array(dump.data);
  const { manifest } = dump;
  checkManifest(manifest, bytes.byteLength);
  if (options.space !== undefined) {
    const difference = firstDifference(manifest.space, options.space);
    if (difference !== undefined) {
      throw new TorchImportError(
        'space',
        `the dump's space differs from the expected one at ${difference.path}: ${formatValue(difference.actual)} instead of ${formatValue(difference.expected)}`,
        { expected: difference.expected, actual: difference.actual },
      );
    }
  }
  const space = manifest.space;
  const byName = new Map(manifest.tensors.map((entry) => [entry.name, entry]));
  const stem = byName.get(firstConvNames.conv);
  const inputChannels = manifest.inputChannels ?? stem?.shape[1];
  if (!isCount(inputChannels)) {
    throw new TorchImportError(
      'missing',
      `the dump has no ${firstConvNames.conv} and no inputChannels`,
      {
        key: firstConvNames.conv,
      },
    );
  }

  const layout = supernetLayout(space, manifest.numClasses, inputChannels);
  const expected = new Map(layout.parameters.map((spec) => [spec.name, spec.shape]));
  const problems: { error: TorchImportError; text: string }[] = [];
  const report = (error: TorchImportError) =>
    problems.push({ error, text: error.message.replace(/^importTorchDump: /, '') });
  for (const entry of manifest.tensors) {
    const shape = expected.get(entry.name);
    if (shape === undefined) {
      if (!isIgnoredKey(entry.name)) {
        report(
          new TorchImportError(
            'unexpected',
            `unexpected key ${entry.name}: the ${space.name} supernet has no such weight`,
            { key: entry.name, actual: entry.shape },
          ),
        );
      }
      continue;
    }
    const converted = tfjsShape(entry);
    if (!sameShape(converted, shape)) {
      report(
        new TorchImportError(
          'shape',
          `key ${entry.name} has PyTorch shape [${entry.shape.join(', ')}] (tfjs [${converted.join(', ')}]), expected tfjs [${shape.join(', ')}]`,
          { key: entry.name, expected: shape, actual: entry.shape },
        ),
      );
    }
  }
  for (const [name, shape] of expected) {
    if (!byName.has(name)) {
      report(
        new TorchImportError('missing', `missing key ${name} (tfjs shape [${shape.join(', ')}])`, {
          key: name,
          expected: shape,
        }),
      );
    }
  }
  const first = problems[0];
  if (first !== undefined) {
    const { error } = first;
    throw new TorchImportError(
      error.problem,
      problems.length === 1
        ? first.text
        : `${problems.length} problems: ${describeProblems(problems.map((p) => p.text))}`,
      { key: error.key, expected: error.expected, actual: error.actual },
    );
  }

  const supernet = createSupernet(space, {
    numClasses: manifest.numClasses,
    inputChannels,
    variablePrefix: options.variablePrefix,
  });
  try {
    for (const [name, variable] of supernet.variables) {
      const entry = byName.get(name) as TorchDumpTensor;
      const source = readValues(bytes, entry);
      const { values, shape } = torchToTfjsLayout(
        torchLayoutOf(name, entry.shape.length),
        source,
        entry.shape,
      );
      // A tensor may keep the array it is given: never hand it a view of the caller's bytes.
      const owned = values === source ? source.slice() : values;
      tf.tidy(() => variable.assign(tf.tensor(owned, [...shape])));
    }
  } catch (error) {
    supernet.dispose();
    throw error;
  }
  return supernet;
}

/**
 * Builds a supernet from the neutral dump of a PyTorch AttentiveNAS / AlphaNet checkpoint that
 * `tools/import_torch.py` writes, given as `{manifest, data}`. Converts PyTorch layouts to ours
 * (OIHW -> HWIO, depthwise [C, 1, k, k] -> [k, k, C, 1], linear [out, in] -> [in, out]) and
 * drops the buffers no forward pass reads (`num_batches_tracked`, `bn_tracking`). To read a dump
 * folder in Node, use `importTorchDumpFolder` from `@supernas/elastic/node`: the main entry never
 * imports node:fs, so browser bundlers (Vite, Rollup, esbuild) take it as it is.
 */
export async function importTorchDump(
  source: TorchDump,
  options: ImportTorchDumpOptions = {},
): Promise<Supernet> {
  return supernetFromTorchDump(source, options);
}
