import { type ArchConfig, normalizeArch } from '@supernas/search-space';

/**
 * The published AttentiveNAS models (`configs/eval_attentive_nas_models.yml`) with the MFLOPs
 * the reference README lists for them, in the reference's snake_case.
 */
export const publishedModels: readonly { name: string; mflops: number; arch: ArchConfig }[] = [
  {
    name: 'A0',
    mflops: 203,
    raw: {
      resolution: 192,
      width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
      kernel_size: [3, 3, 3, 3, 3, 3, 3],
      expand_ratio: [1, 4, 4, 4, 4, 6, 6],
      depth: [1, 3, 3, 3, 3, 3, 1],
    },
  },
  {
    name: 'A1',
    mflops: 279,
    raw: {
      resolution: 224,
      width: [16, 16, 24, 32, 64, 112, 192, 216, 1984],
      kernel_size: [3, 3, 3, 5, 3, 5, 3],
      expand_ratio: [1, 4, 4, 4, 4, 6, 6],
      depth: [1, 3, 3, 3, 3, 3, 1],
    },
  },
  {
    name: 'A2',
    mflops: 317,
    raw: {
      resolution: 224,
      width: [16, 16, 24, 32, 64, 112, 200, 224, 1984],
      kernel_size: [3, 3, 3, 3, 3, 5, 3],
      expand_ratio: [1, 4, 5, 4, 4, 6, 6],
      depth: [1, 3, 3, 3, 3, 4, 1],
    },
  },
  {
    name: 'A3',
    mflops: 357,
    raw: {
      resolution: 224,
      width: [16, 16, 24, 32, 64, 112, 208, 224, 1984],
      kernel_size: [3, 3, 3, 5, 3, 3, 3],
      expand_ratio: [1, 4, 4, 4, 4, 6, 6],
      depth: [2, 3, 3, 4, 3, 5, 1],
    },
  },
  {
    name: 'A4',
    mflops: 444,
    raw: {
      resolution: 256,
      width: [16, 16, 24, 32, 64, 112, 192, 216, 1984],
      kernel_size: [3, 3, 3, 5, 3, 5, 3],
      expand_ratio: [1, 4, 4, 5, 4, 6, 6],
      depth: [1, 3, 3, 4, 3, 5, 1],
    },
  },
  {
    name: 'A5',
    mflops: 491,
    raw: {
      resolution: 256,
      width: [16, 16, 24, 32, 72, 112, 192, 216, 1792],
      kernel_size: [3, 3, 3, 5, 3, 3, 3],
      expand_ratio: [1, 4, 5, 4, 4, 6, 6],
      depth: [1, 3, 3, 3, 4, 6, 1],
    },
  },
  {
    name: 'A6',
    mflops: 709,
    raw: {
      resolution: 288,
      width: [16, 16, 24, 32, 64, 112, 216, 224, 1984],
      kernel_size: [3, 3, 3, 3, 3, 5, 3],
      expand_ratio: [1, 4, 6, 5, 4, 6, 6],
      depth: [1, 3, 3, 4, 4, 6, 1],
    },
  },
].map(({ name, mflops, raw }) => ({ name, mflops, arch: normalizeArch(raw) }));
