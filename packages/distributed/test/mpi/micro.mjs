// The test kit's micro space, and a deterministic global batch for any step.
import { createRng } from '@supernas/search-space';

export { microSpace } from '@supernas/test-utils/micro-space';

/** Global batch `step` of `size` 12x12 one-channel images: bright top (0) or bottom (1) half. */
export function globalBatch(step, size) {
  const rng = createRng(1000 + step);
  const side = 12;
  const images = new Float32Array(size * side * side);
  const labels = new Int32Array(size);
  for (let item = 0; item < size; item++) {
    const label = rng.next() < 0.5 ? 0 : 1;
    labels[item] = label;
    for (let row = 0; row < side; row++)
      for (let column = 0; column < side; column++) {
        const bright = row < side / 2 === (label === 0);
        images[(item * side + row) * side + column] =
          (bright ? 0.8 : 0.2) + 0.3 * (rng.next() - 0.5);
      }
  }
  return { images, labels, shape: [size, side, side, 1] };
}

/** Rows `[rank * size / ranks, (rank + 1) * size / ranks)` of a batch: this rank's shard. */
export function shardOf(batch, rank, ranks) {
  const [size, height, width, channels] = batch.shape;
  const per = size / ranks;
  const pixels = height * width * channels;
  return {
    images: batch.images.slice(rank * per * pixels, (rank + 1) * per * pixels),
    labels: batch.labels.slice(rank * per, (rank + 1) * per),
    shape: [per, height, width, channels],
  };
}
