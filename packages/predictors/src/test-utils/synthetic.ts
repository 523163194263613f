import {
  type ArchConfig,
  createRng,
  encodeArch,
  type SearchSpace,
  sampleArch,
} from '@supernas/search-space';

/**
 * A made-up "accuracy" with structure a predictor can learn: a weighted sum of the ordinal
 * genes, one interaction, and no noise.
 */
export function syntheticAccuracy(space: SearchSpace, arch: ArchConfig): number {
  const genes = encodeArch(space, arch);
  let accuracy = 60;
  genes.forEach((value, g) => {
    accuracy += value * (1 + (g % 5));
  });
  return accuracy + 3 * (genes[0] as number) * (genes[genes.length - 1] as number);
}

export function syntheticData(space: SearchSpace, count: number, seed: number) {
  const rng = createRng(seed);
  const archs = Array.from({ length: count }, () => sampleArch(space, rng));
  return { archs, accuracies: archs.map((arch) => syntheticAccuracy(space, arch)) };
}
