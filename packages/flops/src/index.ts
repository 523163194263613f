export { countFlops, type FlopsCount } from './count-flops.js';
export {
  type BlockLayout,
  type DescribeSubnetOptions,
  describeSubnet,
  type HeadLayout,
  type ShortcutKind,
  type StemLayout,
  type SubnetLayout,
} from './describe-subnet.js';
export { type CountOptions, flopsBreakdown, type LayerCount } from './flops-breakdown.js';
export { FlopsOptionError } from './flops-option-error.js';
export {
  type FlopsPrior,
  type FlopsPriorOptions,
  type FlopsTarget,
  flopsPrior,
  sampleFlopsTarget,
} from './flops-prior.js';
export {
  convOutputSize,
  makeDivisible,
  midChannels,
  roundHalfToEven,
  seChannels,
} from './make-divisible.js';
