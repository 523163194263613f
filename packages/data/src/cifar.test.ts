import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCifar } from './cifar.js';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';
import { useTempDir } from './test-utils/temp-dir.js';

const dir = useTempDir('cifar');

/** One record: label bytes, then red, green and blue planes filled from `pixel(channel, index)`. */
function record(labels: number[], pixel: (channel: number, index: number) => number): Uint8Array {
  const bytes = new Uint8Array(labels.length + 3072);
  bytes.set(labels);
  for (let channel = 0; channel < 3; channel++) {
    for (let index = 0; index < 1024; index++)
      bytes[labels.length + channel * 1024 + index] = pixel(channel, index);
  }
  return bytes;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const cifar10 = join(dir, 'cifar-10-batches-bin');
mkdirSync(cifar10);
for (let batch = 1; batch <= 5; batch++) {
  writeFileSync(
    join(cifar10, `data_batch_${batch}.bin`),
    concat([
      record([batch], (channel, index) => (channel * 100 + index + batch) % 256),
      record([0], () => 9),
    ]),
  );
}
writeFileSync(
  join(cifar10, 'test_batch.bin'),
  record([7], (channel) => 10 + channel),
);

describe('loadCifar', () => {
  it('reads CIFAR-10 records from the five training batches in order, converting CHW to HWC', async () => {
    const train = await loadCifar({ variant: 10, split: 'train', dir });
    expect(train.size).toBe(10);
    expect([train.height, train.width, train.channels, train.numClasses]).toEqual([32, 32, 3, 10]);
    expect(train.classNames?.[3]).toBe('cat');
    const { images, labels } = await train.read([0, 1, 2]);
    expect(Array.from(labels)).toEqual([1, 0, 2]);
    // Pixel 5 of record 0 (batch 1): red 6, green 106, blue 206.
    expect(Array.from(images[0]?.data.subarray(15, 18) ?? [])).toEqual([6, 106, 206]);
    expect(Array.from(images[1]?.data.subarray(0, 3) ?? [])).toEqual([9, 9, 9]);
  });

  it('reads the test batch', async () => {
    const test = await loadCifar({ variant: 10, split: 'test', dir: cifar10 });
    expect(test.size).toBe(1);
    const { images, labels } = await test.read([0]);
    expect(Array.from(labels)).toEqual([7]);
    expect(Array.from(images[0]?.data.subarray(3069, 3072) ?? [])).toEqual([10, 11, 12]);
  });

  it('reads CIFAR-100 fine labels by default and coarse labels when asked', async () => {
    const folder = join(dir, 'c100');
    mkdirSync(folder);
    const file = join(folder, 'train.bin');
    writeFileSync(file, concat([record([3, 42], () => 1), record([19, 99], () => 2)]));
    writeFileSync(
      join(folder, 'coarse_label_names.txt'),
      `${Array.from({ length: 20 }, (_, i) => `group${i}`).join('\n')}\n`,
    );
    const fine = await loadCifar({ variant: 100, split: 'train', files: [file] });
    expect(fine.numClasses).toBe(100);
    expect(fine.classNames).toBeUndefined();
    expect(Array.from((await fine.read([0, 1])).labels)).toEqual([42, 99]);
    const coarse = await loadCifar({
      variant: 100,
      split: 'train',
      files: [file],
      labelKind: 'coarse',
    });
    expect(coarse.numClasses).toBe(20);
    expect(coarse.classNames?.[19]).toBe('group19');
    expect(Array.from((await coarse.read([0, 1])).labels)).toEqual([3, 19]);
  });

  it('rejects a file whose size is not a multiple of the record size, naming file and size', async () => {
    const file = join(dir, 'broken.bin');
    writeFileSync(file, new Uint8Array(3073 * 2 + 5));
    await expect(loadCifar({ variant: 10, split: 'train', files: [file] })).rejects.toThrow(
      DatasetFormatError,
    );
    await expect(loadCifar({ variant: 10, split: 'train', files: [file] })).rejects.toThrow(
      `${file}: size 6151 bytes is not a positive multiple of the 3073-byte record`,
    );
  });

  it('rejects a label outside the class range, naming the record', async () => {
    const file = join(dir, 'bad-label.bin');
    writeFileSync(file, concat([record([1], () => 0), record([10], () => 0)]));
    await expect(loadCifar({ variant: 10, split: 'train', files: [file] })).rejects.toThrow(
      `${file}: record 1 has label 10, expected below 10`,
    );
  });

  it('names a missing batch file', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(loadCifar({ variant: 10, split: 'test', dir: empty })).rejects.toThrow(
      DatasetNotFoundError,
    );
    await expect(loadCifar({ variant: 10, split: 'test', dir: empty })).rejects.toThrow(
      join(empty, 'test_batch.bin'),
    );
  });
});
