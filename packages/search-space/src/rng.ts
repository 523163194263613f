import { SearchSpaceOptionError } from './search-space-option-error.js';

/**
 * A small seeded PRNG (sfc32 seeded through splitmix32). Every random choice in supernas goes
 * through one of these, so a run is reproducible from its seed. `state()` / `fromState()` let a
 * resumed run continue the exact same sequence.
 */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** A uniformly chosen element of a non-empty array. */
  choice<T>(items: readonly T[]): T;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Uint32 state, enough to restore the generator exactly. */
  state(): [number, number, number, number];
  /** An independent generator derived from this one (for a sub-component). */
  fork(): Rng;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed))
    throw new SearchSpaceOptionError('createRng', 'seed', seed, 'a finite number');
  const mix = splitmix32(Math.floor(seed));
  const rng = rngFromState([mix(), mix(), mix(), mix()]);
  // Discard the first outputs: sfc32 mixes poorly in its first few steps.
  for (let i = 0; i < 12; i++) rng.next();
  return rng;
}

/**
 * The named random streams a run draws from, each its own generator derived from the run's seed:
 *
 * - `training-data`: the order and augmentation of the training batches;
 * - `sampler`: the sandwich sampler (the FLOPs prior, the attentive candidates, uniform draws);
 * - `evaluation-archs`: the middle subnets evaluated after training;
 * - `held-out`: the training examples kept out of training (predictor building and search);
 * - `dropout` and `drop-connect-<block>`: the masks of one forward pass, from that pass's seed.
 */
export type RngStream =
  | 'training-data'
  | 'sampler'
  | 'evaluation-archs'
  | 'held-out'
  | 'dropout'
  | `drop-connect-${number}`;

// The derivations the streams had before they had names: runs stay reproducible across versions.
const runStreamOffsets: Readonly<Record<string, number>> = {
  'training-data': 7,
  sampler: 17,
  'evaluation-archs': 101,
  'held-out': 211,
};
const passStreamMultiplier = 7919;

/** The generator of one named stream of `seed`: the same stream and seed give the same numbers. */
export function deriveRng(seed: number, stream: RngStream): Rng {
  if (!Number.isFinite(seed))
    throw new RangeError(`deriveRng: seed must be a finite number, got ${seed}`);
  const offset = runStreamOffsets[stream];
  if (offset !== undefined) return createRng(seed + offset);
  if (stream === 'dropout') return createRng(seed * passStreamMultiplier);
  const block = /^drop-connect-(\d+)$/.exec(stream);
  if (block === null) throw new RangeError(`deriveRng: unknown stream '${stream}'`);
  return createRng(seed * passStreamMultiplier + 1 + Number(block[1]));
}

export function rngFromState(initial: readonly number[]): Rng {
  if (initial.length !== 4)
    throw new SearchSpaceOptionError('rngFromState', 'state', initial, '4 uint32 words');
  let [a, b, c, d] = initial.map((v) => v >>> 0) as [number, number, number, number];
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int: (n) => {
      if (!(n >= 1)) throw new SearchSpaceOptionError('Rng.int', 'n', n, '>= 1');
      return Math.floor(rng.next() * n);
    },
    choice: (items) => {
      if (items.length === 0)
        throw new SearchSpaceOptionError('Rng.choice', 'items', items, 'a non-empty array');
      return items[rng.int(items.length)] as (typeof items)[number];
    },
    normal: () => {
      const u = 1 - rng.next();
      const v = rng.next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    state: () => [a >>> 0, b >>> 0, c >>> 0, d >>> 0],
    fork: () => createRng(nextUint32()),
  };
  return rng;
}
