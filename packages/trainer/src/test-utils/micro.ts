import { createInMemoryDataset, type Dataset } from '@supernas/data';
import type { SearchSpace } from '@supernas/search-space';
import { createRng } from '@supernas/search-space';

/** A space small enough for the pure-JS cpu backend to train in milliseconds per step. */
export const microSpace: SearchSpace = {
  name: 'micro',
  resolutions: [8, 12],
  firstConv: { widths: [4, 8], kernelSize: 3, stride: 1, activation: 'swish' },
  stages: [
    {
      name: 'mb1',
      widths: [4, 8],
      depths: [1, 2],
      kernelSizes: [3],
      expandRatios: [1],
      stride: 1,
      se: false,
      activation: 'swish',
    },
    {
      name: 'mb2',
      widths: [8, 12],
      depths: [1, 2],
      kernelSizes: [3, 5],
      expandRatios: [2, 3],
      stride: 2,
      se: true,
      activation: 'swish',
    },
  ],
  lastConv: { widths: [16, 24], expandRatio: 6, activation: 'swish' },
};

/** Two classes a net can tell apart: bright top half versus bright bottom half, plus noise. */
export function stripesDataset(size: number, seed: number): Dataset {
  const rng = createRng(seed);
  const side = 12;
  const pixels = new Uint8Array(size * side * side);
  const labels: number[] = [];
  for (let i = 0; i < size; i++) {
    const label = i % 2;
    labels.push(label);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const bright = y < side / 2 === (label === 0);
        pixels[i * side * side + y * side + x] = Math.min(255, (bright ? 180 : 40) + rng.int(60));
      }
    }
  }
  return createInMemoryDataset({
    name: 'stripes',
    split: 'train',
    origin: 'generated in test',
    pixels,
    labels,
    height: side,
    width: side,
    channels: 1,
    numClasses: 2,
    normalization: { mean: [0.5], std: [0.25] },
    trainAugmentation: { kind: 'pad-crop', padding: 1, flip: true },
    evalAugmentation: { kind: 'center-crop', cropFraction: 1, flip: false },
  });
}
