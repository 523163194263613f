// The layer rules and the subnet layout live in @supernas/search-space, the one rulebook the
// FLOPs counter and the elastic layers share; re-exported here for code that imported them from
// this package.
export {
  type BlockLayout,
  convOutputSize,
  type DescribeSubnetOptions,
  describeSubnet,
  type HeadLayout,
  makeDivisible,
  midChannels,
  roundHalfToEven,
  type ShortcutKind,
  type StemLayout,
  type SubnetLayout,
  seChannels,
} from '@supernas/search-space';
export { countFlops, type FlopsCount } from './count-flops.js';
export { type CountOptions, flopsBreakdown, type LayerCount } from './flops-breakdown.js';
export { FlopsOptionError } from './flops-option-error.js';
export {
  type FlopsPrior,
  type FlopsPriorOptions,
  type FlopsTarget,
  flopsPrior,
  sampleFlopsTarget,
} from './flops-prior.js';
