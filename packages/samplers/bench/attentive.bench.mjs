// Attentive sampler throughput on the AttentiveNAS space, ranking excluded (the rank callback
// returns zeros). Run `pnpm bench` (turbo builds this package and its dependencies first).
import { countFlops, flopsPrior } from '@supernas/flops';
import { attentivenasSpace, createRng, sampleArch } from '@supernas/search-space';
import { attentiveSampler } from '../dist/index.js';

const space = attentivenasSpace;
const numClasses = 1000;
const seconds = (start) => (performance.now() - start) / 1000;

let start = performance.now();
const prior = flopsPrior(space, { rng: createRng(1), numClasses, samples: 10_000, bins: 20 });
console.log(`flopsPrior (10,000 samples, 20 bins): ${seconds(start).toFixed(3)} s`);

// Warm up the JIT on the code paths measured below.
const warmRng = createRng(2);
for (let i = 0; i < 2000; i++) countFlops(space, sampleArch(space, warmRng), { numClasses });

const draws = 10_000;
const rng = createRng(3);
start = performance.now();
for (let i = 0; i < draws; i++) countFlops(space, sampleArch(space, rng), { numClasses });
const drawSeconds = seconds(start);
console.log(
  `candidate draws with FLOPs (sampleArch + countFlops): ${draws} in ${drawSeconds.toFixed(3)} s = ${Math.round(draws / drawSeconds)} /s (target: 10,000 in under 1 s)`,
);

const calls = 2000;
const sampler = attentiveSampler({
  space,
  prior,
  candidates: 3,
  mode: 'best',
  rank: (archs) => archs.map(() => 0),
  rng: createRng(4),
  numClasses,
});
start = performance.now();
for (let i = 0; i < calls; i++) await sampler.sample();
const samplerSeconds = seconds(start);
const stats = sampler.stats();
console.log(
  `attentiveSampler (3 candidates, maxTries 100): ${calls} calls in ${samplerSeconds.toFixed(3)} s; ` +
    `${Math.round(stats.candidateDraws / samplerSeconds)} draws/s, ` +
    `${Math.round(stats.candidates / samplerSeconds)} accepted candidates/s, ` +
    `target bin hit ${((100 * (stats.candidates - stats.fallbacks)) / stats.candidates).toFixed(1)}%, ` +
    `acceptance ${((100 * stats.acceptedDraws) / stats.candidateDraws).toFixed(1)}% of draws`,
);
