// Throughput of countFlops on uniformly sampled archs (the inner loop of samplers and searches).
// Run after a build: `pnpm --filter @supernas/flops bench`.
import { attentivenasSpace, createRng, sampleArch, tinySpace } from '@supernas/search-space';
import { countFlops, flopsPrior } from '../dist/index.js';

const archCount = 100_000;
const rounds = 5;

for (const space of [attentivenasSpace, tinySpace]) {
  const rng = createRng(1);
  const archs = Array.from({ length: archCount }, () => sampleArch(space, rng));
  const options = { numClasses: space.name === 'tiny' ? 10 : 1000 };
  let checksum = 0;
  // One untimed pass so the JIT has compiled the loop before we time it.
  for (const arch of archs) checksum += countFlops(space, arch, options).flops;
  const times = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (const arch of archs) checksum += countFlops(space, arch, options).flops;
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  const best = Math.min(...times);
  console.log(
    `countFlops ${space.name}: ${archCount} archs in ${(best * 1000).toFixed(1)} ms (best of ${rounds}), ` +
      `${Math.round(archCount / best).toLocaleString('en-US')} archs/s (checksum ${checksum.toExponential(3)})`,
  );
}

const start = process.hrtime.bigint();
flopsPrior(attentivenasSpace, { rng: createRng(2), numClasses: 1000, samples: 100_000, bins: 20 });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`flopsPrior attentivenas: 100000 samples in ${(seconds * 1000).toFixed(1)} ms`);
