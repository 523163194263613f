export {
  type ArchGene,
  type ArchListField,
  archFromGeneValues,
  archGenes,
  geneValue,
} from './arch-genes.js';
export { archKey } from './arch-key.js';
export { countSubnets } from './count-subnets.js';
export { type CrossoverArchOptions, crossoverArch } from './crossover-arch.js';
export {
  type BlockLayout,
  type DescribeSubnetOptions,
  describeSubnet,
  type HeadLayout,
  type StemLayout,
  type SubnetLayout,
} from './describe-subnet.js';
export {
  type ArchEncoding,
  ArchEncodingError,
  decodeArch,
  type EncodeArchOptions,
  encodeArch,
  encodedLength,
} from './encode-arch.js';
export { maxArch, minArch } from './extreme-archs.js';
export { getSearchSpace, type PresetName, presetNames } from './get-search-space.js';
export {
  type ArchField,
  type InvalidArchDetails,
  InvalidArchError,
} from './invalid-arch-error.js';
export {
  convOutputSize,
  convPadding,
  headExpandChannels,
  midChannels,
  type ShortcutKind,
  seChannels,
  seReduction,
  shortcutHasConv,
  shortcutKind,
  shortcutPoolPadding,
  stageHasExpandConv,
} from './layer-rules.js';
export { makeDivisible, roundHalfToEven } from './make-divisible.js';
export { type MutateArchOptions, mutateArch } from './mutate-arch.js';
export { normalizeArch } from './normalize-arch.js';
export { attentivenasSpace } from './presets/attentivenas.js';
export { tinySpace } from './presets/tiny.js';
export { createRng, type Rng, rngFromState } from './rng.js';
export { sampleArch } from './sample-arch.js';
export { SearchSpaceOptionError } from './search-space-option-error.js';
export type {
  Activation,
  ArchConfig,
  FirstConvSpace,
  LastConvSpace,
  SearchSpace,
  StageSpace,
} from './types.js';
export { UnknownSearchSpaceError } from './unknown-search-space-error.js';
export { isValidArch, validateArch } from './validate-arch.js';
