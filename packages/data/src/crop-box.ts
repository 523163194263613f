import type { Rng } from '@supernas/search-space';
import { InvalidDataOptionError } from './errors.js';
import type { CropBox } from './sample-bilinear.js';

/**
 * torchvision's `RandomResizedCrop.get_params`: ten tries at a box with area fraction in `scale`
 * and log-uniform aspect ratio in `ratio` that fits the image; if none fits, the largest centred
 * box whose aspect ratio lies in `ratio`. Integer boxes, like torchvision.
 */
export function randomResizedCropBox(
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
  rng: Rng,
): CropBox {
  const area = height * width;
  const logRatioLow = Math.log(ratio[0]);
  const logRatioHigh = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * uniform(rng, scale[0], scale[1]);
    const aspectRatio = Math.exp(uniform(rng, logRatioLow, logRatioHigh));
    const cropWidth = Math.round(Math.sqrt(targetArea * aspectRatio));
    const cropHeight = Math.round(Math.sqrt(targetArea / aspectRatio));
    if (cropWidth > 0 && cropWidth <= width && cropHeight > 0 && cropHeight <= height) {
      const top = rng.int(height - cropHeight + 1);
      const left = rng.int(width - cropWidth + 1);
      return { top, left, height: cropHeight, width: cropWidth };
    }
  }
  const imageRatio = width / height;
  let cropWidth = width;
  let cropHeight = height;
  if (imageRatio < ratio[0]) cropHeight = Math.round(cropWidth / ratio[0]);
  else if (imageRatio > ratio[1]) cropWidth = Math.round(cropHeight * ratio[1]);
  return {
    top: Math.floor((height - cropHeight) / 2),
    left: Math.floor((width - cropWidth) / 2),
    height: cropHeight,
    width: cropWidth,
  };
}

/** A crop of the original size from the image zero-padded by `padding` on every side. */
export function padCropBox(height: number, width: number, padding: number, rng: Rng): CropBox {
  return {
    top: rng.int(2 * padding + 1) - padding,
    left: rng.int(2 * padding + 1) - padding,
    height,
    width,
  };
}

/**
 * torchvision's `Resize(floor(resolution / cropFraction))` then `CenterCrop(resolution)`, as one
 * box in source pixels: resizing that box to `resolution` gives the same pixels as resizing the
 * image and cropping it.
 */
export function centerCropBox(
  height: number,
  width: number,
  resolution: number,
  cropFraction: number,
): CropBox {
  const shorterSide = Math.floor(resolution / cropFraction + 1e-9);
  const resizedHeight = height <= width ? shorterSide : Math.floor((shorterSide * height) / width);
  const resizedWidth = height <= width ? Math.floor((shorterSide * width) / height) : shorterSide;
  const top = roundHalfEven((resizedHeight - resolution) / 2);
  const left = roundHalfEven((resizedWidth - resolution) / 2);
  const rowScale = height / resizedHeight;
  const columnScale = width / resizedWidth;
  return {
    top: top * rowScale,
    left: left * columnScale,
    height: resolution * rowScale,
    width: resolution * columnScale,
  };
}

export function validateCropRanges(
  scale: readonly [number, number],
  ratio: readonly [number, number],
): void {
  if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1)) {
    throw new InvalidDataOptionError(
      'random-resized-crop scale',
      scale,
      '[low, high] with 0 < low <= high <= 1',
    );
  }
  if (!(ratio[0] > 0 && ratio[0] <= ratio[1] && Number.isFinite(ratio[1]))) {
    throw new InvalidDataOptionError(
      'random-resized-crop ratio',
      ratio,
      '[low, high] with 0 < low <= high',
    );
  }
}

function uniform(rng: Rng, low: number, high: number): number {
  return low + (high - low) * rng.next();
}

// Python's round(), which torchvision's CenterCrop uses for its offsets.
function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
