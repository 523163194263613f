import {
  archKey,
  createRng,
  encodeArch,
  getSearchSpace,
  mutateArch,
  normalizeArch,
  sampleArch,
  validateArch,
} from '@supernas/search-space';

const space = getSearchSpace('attentivenas');
const rng = createRng(42); // every random choice goes through a seeded generator
const parent = sampleArch(space, rng);
const child = mutateArch(space, parent, rng, { probability: 0.1 });
// Reference configs load unchanged: snake_case keys are accepted.
const a0 = validateArch(
  space,
  normalizeArch({
    resolution: 192,
    width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
    depth: [1, 3, 3, 3, 3, 3, 1],
    kernel_size: [3, 3, 3, 3, 3, 3, 3],
    expand_ratio: [1, 4, 4, 4, 4, 6, 6],
  }),
);
console.log(archKey(a0), encodeArch(space, child).join(' ')); // features in [0, 1], one per choice
