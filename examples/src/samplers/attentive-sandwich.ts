import { countFlops, flopsPrior } from '@supernas/flops';
import { attentiveSampler, type SamplerState, sandwichSampler } from '@supernas/samplers';
import { type ArchConfig, createRng, attentivenasSpace as space } from '@supernas/search-space';

// Stands in for the no-grad loss of each candidate on this step's mini-batch: here, fewer
// FLOPs rank as a higher loss.
const lossesOnThisBatch = (candidates: readonly ArchConfig[]) =>
  candidates.map((arch) => -countFlops(space, arch, { numClasses: 1000 }).flops);
const checkpoint: { sampler?: SamplerState } = {};
const step = 0;

const rng = createRng(0);
const prior = flopsPrior(space, { rng: rng.fork(), numClasses: 1000, bins: 20 });
const inner = attentiveSampler({
  space,
  prior,
  candidates: 3,
  mode: 'best',
  rng: rng.fork(),
  numClasses: 1000,
});
const sampler = sandwichSampler({ space, middle: 2, inner });
// Each step: [max, best of 3 near a FLOPs target, best of 3 near another, min].
const archs = await sampler.sample({ step, rank: (candidates) => lossesOnThisBatch(candidates) });
console.log(archs.length, sampler.report());
checkpoint.sampler = sampler.state(); // later: sampler.restore(checkpoint.sampler)
