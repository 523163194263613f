import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { DatasetFormatError, DatasetNotFoundError } from './errors.js';

/** An IDX array (LeCun's MNIST format): unsigned bytes with their dimensions. */
export interface IdxArray {
  readonly dimensions: readonly number[];
  readonly data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses IDX bytes: magic `00 00 <type> <rank>`, `rank` big-endian uint32 sizes, then the
 * data. Only the unsigned-byte type, the one MNIST-style sets use, is accepted. `path` names the
 * file in errors.
 */
export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4)
    throw new DatasetFormatError(path, `too short for an IDX header (${bytes.length} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const rank = bytes[3] as number;
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || rank === 0) {
    throw new DatasetFormatError(
      path,
      `bad IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x000008NN (unsigned bytes, NN dimensions)`,
    );
  }
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new DatasetFormatError(
      path,
      `too short for an IDX header of ${rank} dimensions (${bytes.length} bytes)`,
    );
  }
  const dimensions: number[] = [];
  for (let i = 0; i < rank; i++) dimensions.push(view.getUint32(4 + 4 * i));
  const expected = headerLength + dimensions.reduce((product, size) => product * size, 1);
  if (bytes.length !== expected) {
    throw new DatasetFormatError(
      path,
      `IDX dimensions [${dimensions.join(', ')}] need ${expected} bytes, the file has ${bytes.length}`,
    );
  }
  return { dimensions, data: bytes.subarray(headerLength) };
}

/** Reads an IDX file, gunzipping it first when it is gzip-compressed (`.gz` downloads). */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new DatasetNotFoundError(path, 'IDX file', cause);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (cause) {
      throw new DatasetFormatError(path, `corrupt gzip data (${(cause as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

export interface IdxImagesAndLabels {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
}

/** An images file (count x height x width) and its labels file, checked against each other. */
export async function readIdxImagesAndLabels(
  imagesPath: string,
  labelsPath: string,
  numClasses: number,
): Promise<IdxImagesAndLabels> {
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (images.dimensions.length !== 3) {
    throw new DatasetFormatError(
      imagesPath,
      `expected 3 dimensions (count, height, width), got [${images.dimensions.join(', ')}]`,
    );
  }
  if (labels.dimensions.length !== 1) {
    throw new DatasetFormatError(
      labelsPath,
      `expected 1 dimension (count), got [${labels.dimensions.join(', ')}]`,
    );
  }
  const [count, height, width] = images.dimensions as [number, number, number];
  if (labels.dimensions[0] !== count) {
    throw new DatasetFormatError(
      labelsPath,
      `has ${labels.dimensions[0]} labels, but ${imagesPath} has ${count} images`,
    );
  }
  const badLabel = labels.data.findIndex((label) => label >= numClasses);
  if (badLabel >= 0) {
    throw new DatasetFormatError(
      labelsPath,
      `label ${labels.data[badLabel]} at index ${badLabel} is not below ${numClasses} classes`,
    );
  }
  return { pixels: images.data, labels: labels.data, count, height, width };
}
