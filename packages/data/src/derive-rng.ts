import { type Rng, rngFromState } from '@supernas/search-space';

/**
 * An independent generator for one (stream, epoch, batch) of a seeded run. Deriving instead of
 * drawing from one shared stream makes a batch depend only on the seed and its position, so
 * reading ahead, skipping or resuming cannot change it.
 */
export function deriveRng(
  seed: readonly [number, number],
  stream: number,
  epoch: number,
  batch: number,
): Rng {
  let hash = fmix32((seed[0] ^ 0x6a09e667) >>> 0);
  for (const value of [seed[1], stream, epoch, batch])
    hash = fmix32((hash ^ fmix32((value + 0x9e3779b9) >>> 0)) >>> 0);
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    hash = fmix32((hash + 0x9e3779b9) >>> 0);
    words.push(hash);
  }
  const rng = rngFromState(words);
  // sfc32 mixes poorly in its first outputs, as createRng also notes.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

// MurmurHash3's finaliser: every input bit affects every output bit.
function fmix32(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
