import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** uint8 images with labels, as the cache stores them. */
export interface CachedImages {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

const MAGIC = 0x534e4443; // "SNDC": SuperNas Data Cache
const FORMAT_VERSION = 1;
const HEADER_BYTES = 88;

/**
 * The cache folder: `SUPERNAS_CACHE_DIR`, else `$XDG_CACHE_HOME/supernas`, else
 * `~/.cache/supernas`.
 */
export function defaultCacheDir(): string {
  const explicit = process.env.SUPERNAS_CACHE_DIR;
  if (explicit) return explicit;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'supernas');
}

/*
 * Layout (little endian):
 *   0  uint32 magic, 4 uint32 format version, 8 uint32 count,
 *  12  uint16 height, 14 uint16 width, 16 uint8 channels, 17..23 zero,
 *  24  32 bytes sha256 of the source key (what the cache was built from),
 *  56  32 bytes sha256 of the payload,
 *  88  payload: count label bytes, then count * height * width * channels pixel bytes.
 */

/**
 * Writes the cache to a temporary file beside `path`, then renames it into place, so a reader
 * never sees half a file and concurrent writers leave one complete copy.
 */
export async function writeImageCache(
  path: string,
  sourceKey: string,
  images: CachedImages,
): Promise<void> {
  const payloadLength = images.count + images.pixels.length;
  const file = new Uint8Array(HEADER_BYTES + payloadLength);
  file.set(images.labels, HEADER_BYTES);
  file.set(images.pixels, HEADER_BYTES + images.count);
  const view = new DataView(file.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, images.count, true);
  view.setUint16(12, images.height, true);
  view.setUint16(14, images.width, true);
  view.setUint8(16, images.channels);
  file.set(sha256(new TextEncoder().encode(sourceKey)), 24);
  file.set(sha256(file.subarray(HEADER_BYTES)), 56);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.partial`;
  try {
    await writeFile(temporary, file);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads a cache written by `writeImageCache` for the same source key. Returns a reason string
 * instead of images when the file is missing, from another source or version, truncated or
 * corrupt; the caller then rebuilds it.
 */
export async function readImageCache(
  path: string,
  sourceKey: string,
): Promise<CachedImages | string> {
  let file: Uint8Array;
  try {
    file = await readFile(path);
  } catch {
    return 'no cache file';
  }
  if (file.length < HEADER_BYTES) return `cache file too short (${file.length} bytes)`;
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0, true) !== MAGIC) return 'not a supernas cache file';
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION)
    return `cache format version ${version}, expected ${FORMAT_VERSION}`;
  if (!equalBytes(file.subarray(24, 56), sha256(new TextEncoder().encode(sourceKey)))) {
    return 'cache built from another source';
  }
  const count = view.getUint32(8, true);
  const height = view.getUint16(12, true);
  const width = view.getUint16(14, true);
  const channels = view.getUint8(16);
  const expected = HEADER_BYTES + count + count * height * width * channels;
  if (file.length !== expected) return `cache file has ${file.length} bytes, expected ${expected}`;
  if (!equalBytes(file.subarray(56, 88), sha256(file.subarray(HEADER_BYTES))))
    return 'cache checksum mismatch';
  return {
    labels: file.subarray(HEADER_BYTES, HEADER_BYTES + count),
    pixels: file.subarray(HEADER_BYTES + count),
    count,
    height,
    width,
    channels,
  };
}

function sha256(bytes: Uint8Array): Uint8Array {
  return createHash('sha256').update(bytes).digest();
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  if (left.length !== right.length) return false;
  for (let i = 0; i < left.length; i++) if (left[i] !== right[i]) return false;
  return true;
}
