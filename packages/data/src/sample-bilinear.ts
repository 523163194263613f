import type { RawImage } from './types.js';

/** A region of a source image, in source pixels (fractions allowed). */
export interface CropBox {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

export interface SampleOptions {
  readonly outputHeight: number;
  readonly outputWidth: number;
  /** Mirror the output left-right. */
  readonly flip?: boolean;
  /**
   * Zero pixels assumed around the image (pad-crop). Sample positions are clamped to the padded
   * image, so an unpadded image repeats its edge like every bilinear resize does.
   */
  readonly padding?: number;
  /** output = pixel * scale[c] + bias[c]; defaults to the raw 0..255 value. */
  readonly scale?: ArrayLike<number>;
  readonly bias?: ArrayLike<number>;
}

interface AxisTaps {
  readonly low: Int32Array;
  readonly high: Int32Array;
  readonly weight: Float32Array;
}

/**
 * Bilinear sampling with half-pixel centres (the convention of torchvision's `align_corners=False`
 * and `tf.image.resize(..., 'bilinear')`): output pixel y reads source row
 * `top + (y + 0.5) * height / outputHeight - 0.5`. No antialiasing: for large downscales decode
 * at a smaller size first (sharp does, in the image-folder loader).
 *
 * Writes `outputHeight * outputWidth * channels` floats (HWC) into `out` at `offset`.
 */
export function sampleBilinear(
  image: RawImage,
  box: CropBox,
  options: SampleOptions,
  out: Float32Array,
  offset = 0,
): void {
  const { outputHeight, outputWidth } = options;
  const channels = image.channels;
  const padding = options.padding ?? 0;
  const rows = axisTaps(box.top, box.height, outputHeight, image.height, padding);
  const columns = axisTaps(box.left, box.width, outputWidth, image.width, padding);
  const scale = options.scale ?? new Float32Array(channels).fill(1);
  const bias = options.bias ?? new Float32Array(channels);
  const data = image.data;
  const rowStride = image.width * channels;
  const flip = options.flip === true;

  let write = offset;
  for (let y = 0; y < outputHeight; y++) {
    const rowLow = rows.low[y] as number;
    const rowHigh = rows.high[y] as number;
    const wy = rows.weight[y] as number;
    const lowInside = rowLow >= 0 && rowLow < image.height;
    const highInside = rowHigh >= 0 && rowHigh < image.height;
    for (let x = 0; x < outputWidth; x++) {
      const sourceX = flip ? outputWidth - 1 - x : x;
      const columnLow = columns.low[sourceX] as number;
      const columnHigh = columns.high[sourceX] as number;
      const wx = columns.weight[sourceX] as number;
      const lowColumnInside = columnLow >= 0 && columnLow < image.width;
      const highColumnInside = columnHigh >= 0 && columnHigh < image.width;
      for (let c = 0; c < channels; c++) {
        const topLeft =
          lowInside && lowColumnInside
            ? (data[rowLow * rowStride + columnLow * channels + c] as number)
            : 0;
        const topRight =
          lowInside && highColumnInside
            ? (data[rowLow * rowStride + columnHigh * channels + c] as number)
            : 0;
        const bottomLeft =
          highInside && lowColumnInside
            ? (data[rowHigh * rowStride + columnLow * channels + c] as number)
            : 0;
        const bottomRight =
          highInside && highColumnInside
            ? (data[rowHigh * rowStride + columnHigh * channels + c] as number)
            : 0;
        const upper = topLeft + (topRight - topLeft) * wx;
        const lower = bottomLeft + (bottomRight - bottomLeft) * wx;
        const value = upper + (lower - upper) * wy;
        out[write++] = value * (scale[c] as number) + (bias[c] as number);
      }
    }
  }
}

/** Resizes a whole image; values stay in 0..255 (as floats). */
export function resizeBilinear(
  image: RawImage,
  outputHeight: number,
  outputWidth: number,
): Float32Array {
  const out = new Float32Array(outputHeight * outputWidth * image.channels);
  sampleBilinear(
    image,
    { top: 0, left: 0, height: image.height, width: image.width },
    { outputHeight, outputWidth },
    out,
  );
  return out;
}

function axisTaps(
  start: number,
  length: number,
  outputLength: number,
  sourceLength: number,
  padding: number,
): AxisTaps {
  const low = new Int32Array(outputLength);
  const high = new Int32Array(outputLength);
  const weight = new Float32Array(outputLength);
  const step = length / outputLength;
  const first = -padding;
  const last = sourceLength - 1 + padding;
  for (let i = 0; i < outputLength; i++) {
    const position = Math.min(Math.max(start + (i + 0.5) * step - 0.5, first), last);
    const floor = Math.floor(position);
    low[i] = floor;
    high[i] = Math.min(floor + 1, last);
    weight[i] = position - floor;
  }
  return { low, high, weight };
}
