import { createInMemoryDataset, type Dataset } from '@supernas/data';
import { createRng } from '@supernas/search-space';

export { microSpace } from '@supernas/test-utils/micro-space';

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
