import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';
import { parseIdx, readIdxFile, readIdxImagesAndLabels } from './idx.js';
import { idxBytes } from './test-utils/idx-bytes.js';
import { useTempDir } from './test-utils/temp-dir.js';

const dir = useTempDir('idx');

describe('parseIdx', () => {
  it('reads the dimensions and the data of an unsigned-byte array', () => {
    const parsed = parseIdx(idxBytes([2, 2, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'x.idx');
    expect(parsed.dimensions).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('rejects a bad magic number, naming the file and the magic', () => {
    const bytes = idxBytes([1], [0]);
    bytes[2] = 0x0d; // float data
    expect(() => parseIdx(bytes, 'images.idx')).toThrow(DatasetFormatError);
    expect(() => parseIdx(bytes, 'images.idx')).toThrow('images.idx: bad IDX magic 0x00000d01');
  });

  it('rejects a file whose size does not match its dimensions', () => {
    const bytes = idxBytes([3, 2], [1, 2, 3, 4, 5]);
    expect(() => parseIdx(bytes, 'short.idx')).toThrow(
      'short.idx: IDX dimensions [3, 2] need 18 bytes, the file has 17',
    );
  });
});

describe('readIdxFile', () => {
  it('reads gzip-compressed files as well as plain ones', async () => {
    const path = join(dir, 'labels.gz');
    writeFileSync(path, gzipSync(idxBytes([3], [7, 8, 9])));
    const parsed = await readIdxFile(path);
    expect(Array.from(parsed.data)).toEqual([7, 8, 9]);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'missing-idx1-ubyte');
    await expect(readIdxFile(path)).rejects.toThrow(DatasetNotFoundError);
    await expect(readIdxFile(path)).rejects.toThrow(path);
  });
});

describe('readIdxImagesAndLabels', () => {
  it('rejects a labels file with a different count than the images file', async () => {
    writeFileSync(join(dir, 'images-a'), idxBytes([2, 1, 1], [5, 6]));
    writeFileSync(join(dir, 'labels-a'), idxBytes([3], [0, 1, 2]));
    await expect(
      readIdxImagesAndLabels(join(dir, 'images-a'), join(dir, 'labels-a'), 10),
    ).rejects.toThrow(/labels-a: has 3 labels, but .*images-a has 2 images/);
  });

  it('rejects a label outside the class range', async () => {
    writeFileSync(join(dir, 'images-b'), idxBytes([2, 1, 1], [5, 6]));
    writeFileSync(join(dir, 'labels-b'), idxBytes([2], [0, 12]));
    await expect(
      readIdxImagesAndLabels(join(dir, 'images-b'), join(dir, 'labels-b'), 10),
    ).rejects.toThrow('label 12 at index 1 is not below 10 classes');
  });
});
