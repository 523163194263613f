import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CachedImages, readImageCache, writeImageCache } from './image-cache.js';
import { useTempDir } from './test-utils/temp-dir.js';

const dir = useTempDir('cache');

const images: CachedImages = {
  pixels: Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20),
  labels: Uint8Array.from([2, 0, 1]),
  count: 3,
  height: 2,
  width: 2,
  channels: 1,
};

describe('writeImageCache', () => {
  it('round-trips images and labels and leaves no temporary file behind', async () => {
    const path = join(dir, 'nested', 'round-trip.bin');
    await writeImageCache(path, 'source v1', images);
    const read = await readImageCache(path, 'source v1');
    expect(typeof read).not.toBe('string');
    const cached = read as CachedImages;
    expect(Array.from(cached.pixels)).toEqual(Array.from(images.pixels));
    expect(Array.from(cached.labels)).toEqual([2, 0, 1]);
    expect([cached.count, cached.height, cached.width, cached.channels]).toEqual([3, 2, 2, 1]);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['round-trip.bin']);
  });
});

describe('readImageCache', () => {
  it('says there is no cache file when there is none', async () => {
    expect(await readImageCache(join(dir, 'absent.bin'), 'source v1')).toBe('no cache file');
  });

  it('refuses a cache built from another source', async () => {
    const path = join(dir, 'stale.bin');
    await writeImageCache(path, 'source v1', images);
    expect(await readImageCache(path, 'source v2')).toBe('cache built from another source');
  });

  it('detects a flipped byte through the checksum', async () => {
    const path = join(dir, 'corrupt.bin');
    await writeImageCache(path, 'source v1', images);
    const bytes = readFileSync(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0xff;
    writeFileSync(path, bytes);
    expect(await readImageCache(path, 'source v1')).toBe('cache checksum mismatch');
  });

  it('detects a truncated file', async () => {
    const path = join(dir, 'truncated.bin');
    await writeImageCache(path, 'source v1', images);
    writeFileSync(path, readFileSync(path).subarray(0, 95));
    expect(await readImageCache(path, 'source v1')).toBe('cache file has 95 bytes, expected 103');
  });
});
