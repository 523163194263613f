import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DatasetFormatError,
  DatasetNotFoundError,
  EmptyClassFolderError,
  ImageDecodeError,
} from './errors.js';
import { loadImageFolder } from './image-folder.js';
import { useTempDir } from './test-utils/temp-dir.js';

const dir = useTempDir('folder');

/** An RGB image whose pixel (y, x) is (10 * y, 10 * x, fill). */
function gradient(height: number, width: number, fill: number): Buffer {
  const data = Buffer.alloc(height * width * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([10 * y, 10 * x, fill], (y * width + x) * 3);
  }
  return data;
}

async function writeImage(
  path: string,
  height: number,
  width: number,
  fill: number,
): Promise<void> {
  const image = sharp(gradient(height, width, fill), { raw: { width, height, channels: 3 } });
  await (path.endsWith('.png') ? image.png() : image.jpeg({ quality: 95 })).toFile(path);
}

beforeAll(async () => {
  for (const folder of [
    'train/cat',
    'train/dog',
    'train/.hidden',
    'val/cat',
    'val/dog',
    'empty/cat',
    'empty/dog',
  ]) {
    mkdirSync(join(dir, folder), { recursive: true });
  }
  await writeImage(join(dir, 'train/cat/a.png'), 4, 6, 200);
  await writeImage(join(dir, 'train/cat/b.JPG'), 8, 8, 100);
  await writeImage(join(dir, 'train/dog/c.png'), 6, 4, 50);
  writeFileSync(join(dir, 'train/dog/notes.txt'), 'not an image');
  await writeImage(join(dir, 'val/cat/x.png'), 4, 4, 1);
  await writeImage(join(dir, 'val/dog/y.png'), 4, 4, 2);
  await writeImage(join(dir, 'empty/cat/z.png'), 4, 4, 3);
});

describe('loadImageFolder', () => {
  it('lists one class per sub-folder, sorted, with their JPEG and PNG files', async () => {
    const train = await loadImageFolder({ dir, split: 'train' });
    expect(train.classNames).toEqual(['cat', 'dog']);
    expect(train.size).toBe(3);
    expect(train.numClasses).toBe(2);
    expect(train.height).toBeUndefined();
    const { images, labels } = await train.read([0, 2]);
    expect(Array.from(labels)).toEqual([0, 1]);
    expect([images[0]?.height, images[0]?.width, images[0]?.channels]).toEqual([4, 6, 3]);
    // PNG is lossless: pixel (2, 3) is (20, 30, 200).
    expect(
      Array.from(images[0]?.data.subarray((2 * 6 + 3) * 3, (2 * 6 + 3) * 3 + 3) ?? []),
    ).toEqual([20, 30, 200]);
  });

  it('reads the test split from val/', async () => {
    const test = await loadImageFolder({ dir, split: 'test' });
    expect(test.size).toBe(2);
    expect(test.origin).toContain(join(dir, 'val'));
  });

  it("takes the test split's class order from train/ and names a class folder missing from val/", async () => {
    const root = join(dir, 'mismatch');
    for (const folder of ['train/ant', 'train/bee', 'val/bee'])
      mkdirSync(join(root, folder), { recursive: true });
    await writeImage(join(root, 'train/ant/a.png'), 4, 4, 0);
    await writeImage(join(root, 'train/bee/b.png'), 4, 4, 0);
    await writeImage(join(root, 'val/bee/c.png'), 4, 4, 0);
    await expect(loadImageFolder({ dir: root, split: 'test' })).rejects.toThrow(
      `folder of class 'ant' not found: ${join(root, 'val/ant')}`,
    );
    const test = await loadImageFolder({
      dir: root,
      split: 'test',
      classNames: ['bee'],
    });
    expect(test.classNames).toEqual(['bee']);
  });

  it('resizes the shorter side to `size` while decoding', async () => {
    const train = await loadImageFolder({ dir, split: 'train', size: 8 });
    const { images } = await train.read([0, 2]);
    expect([images[0]?.height, images[0]?.width]).toEqual([8, 12]);
    expect([images[1]?.height, images[1]?.width]).toEqual([12, 8]);
  });

  it('converts to one channel when asked', async () => {
    const train = await loadImageFolder({ dir, split: 'train', channels: 1 });
    const { images } = await train.read([1]);
    expect(images[0]?.channels).toBe(1);
    expect(images[0]?.data.length).toBe(64);
  });

  it('produces normalised batches at a requested resolution', async () => {
    const test = await loadImageFolder({
      dir,
      split: 'test',
      normalization: { mean: [0, 0, 0], std: [1, 1, 1] },
    });
    const batch = await test.readBatch([0, 1], {
      resolution: 4,
      augmentation: { kind: 'center-crop', cropFraction: 1, flip: false },
    });
    expect(batch.shape).toEqual([2, 4, 4, 3]);
    // Pixel (1, 2) of the first image is (10, 20, 1) / 255.
    expect(batch.images[(1 * 4 + 2) * 3]).toBeCloseTo(10 / 255, 6);
    expect(batch.images[(1 * 4 + 2) * 3 + 1]).toBeCloseTo(20 / 255, 6);
    expect(batch.images[(1 * 4 + 2) * 3 + 2]).toBeCloseTo(1 / 255, 6);
  });

  it('needs a resolution for readBatch, since images differ in size', async () => {
    const train = await loadImageFolder({ dir, split: 'train' });
    await expect(train.readBatch([0])).rejects.toThrow(/resolution must be a positive integer/);
  });

  it('names a folder that does not exist', async () => {
    const missing = join(dir, 'nowhere');
    await expect(loadImageFolder({ dir: missing })).rejects.toThrow(DatasetNotFoundError);
    await expect(loadImageFolder({ dir: missing })).rejects.toThrow(
      `image folder not found: ${missing}`,
    );
  });

  it('names an empty class folder', async () => {
    await expect(loadImageFolder({ dir: join(dir, 'empty') })).rejects.toThrow(
      EmptyClassFolderError,
    );
    await expect(loadImageFolder({ dir: join(dir, 'empty') })).rejects.toThrow(
      join(dir, 'empty/dog'),
    );
  });

  it('rejects a root without class folders', async () => {
    await expect(loadImageFolder({ dir: join(dir, 'train/cat') })).rejects.toThrow(
      DatasetFormatError,
    );
  });

  it('names an image that cannot be decoded when it is read', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(join(broken, 'only'), { recursive: true });
    writeFileSync(join(broken, 'only/bad.jpg'), 'these bytes are not a JPEG');
    const dataset = await loadImageFolder({ dir: broken });
    await expect(dataset.read([0])).rejects.toThrow(ImageDecodeError);
    await expect(dataset.read([0])).rejects.toThrow(
      `cannot decode image ${join(broken, 'only/bad.jpg')}`,
    );
  });
});
