export { ArchTable, type ArchTableOptions } from './arch-table.js';
export { type AttentiveSamplerOptions, attentiveSampler } from './attentive-sampler.js';
export {
  type DrawInRangeOptions,
  type DrawInRangeResult,
  drawArchInFlopsRange,
  type FlopsRange,
} from './draw-arch-in-flops-range.js';
export { flopsBin } from './flops-bin.js';
export type {
  FlopsHistogram,
  RankArchs,
  SampleContext,
  Sampler,
  SamplerState,
  SamplerStats,
} from './sampler.js';
export { SamplerError } from './sampler-error.js';
export { type SandwichSamplerOptions, sandwichSampler } from './sandwich-sampler.js';
export { type UniformSamplerOptions, uniformSampler } from './uniform-sampler.js';
