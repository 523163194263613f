import { countFlops, describeSubnet, flopsPrior, sampleFlopsTarget } from '@supernas/flops';
import { createRng, getSearchSpace, minArch } from '@supernas/search-space';

const space = getSearchSpace('attentivenas');
const { flops, params } = countFlops(space, minArch(space), { numClasses: 1000 });
console.log((flops / 1e6).toFixed(2), params); // 203.39 9064648
const layout = describeSubnet(space, minArch(space)); // channels, strides, sizes of every block
const prior = flopsPrior(space, { rng: createRng(1), numClasses: 1000, samples: 10_000, bins: 20 });
const target = sampleFlopsTarget(prior, createRng(2)); // { bin, low, high } in MFLOPs
console.log(layout.blocks.length, target.low <= target.high);
