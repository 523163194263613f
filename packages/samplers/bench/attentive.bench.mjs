// Attentive sampler throughput, ranking excluded (the rank callback returns zeros): rejection
// sampling (tableSize 0) against the arch table, on the AttentiveNAS and tiny spaces. Prints
// the median and range over rounds, so a loaded machine shows as a wide range. Run
// `pnpm bench` (turbo builds this package and its dependencies first); `--rounds N`.
import { loadavg } from 'node:os';
import { countFlops, flopsPrior } from '@supernas/flops';
import { attentivenasSpace, createRng, sampleArch, tinySpace } from '@supernas/search-space';
import { attentiveSampler } from '../dist/index.js';

const roundsIndex = process.argv.indexOf('--rounds');
const rounds = roundsIndex > 0 ? Number(process.argv[roundsIndex + 1]) : 5;
const seconds = (start) => (performance.now() - start) / 1000;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const summary = (values) =>
  `median ${Math.round(median(values))} /s (range ${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`;

console.log(
  `load average ${loadavg()
    .map((load) => load.toFixed(2))
    .join(' ')}, ${rounds} rounds`,
);

for (const [label, space, numClasses] of [
  ['attentivenas', attentivenasSpace, 1000],
  ['tiny', tinySpace, 10],
]) {
  let start = performance.now();
  const prior = flopsPrior(space, { rng: createRng(1), numClasses, samples: 10_000, bins: 20 });
  console.log(`\n${label}: flopsPrior (10,000 samples, 20 bins) ${seconds(start).toFixed(3)} s`);

  // Warm up the JIT on the code paths measured below.
  const warmRng = createRng(2);
  for (let i = 0; i < 2000; i++) countFlops(space, sampleArch(space, warmRng), { numClasses });

  const draws = 10_000;
  const drawRates = [];
  for (let round = 0; round < rounds; round++) {
    const rng = createRng(3 + round);
    start = performance.now();
    for (let i = 0; i < draws; i++) countFlops(space, sampleArch(space, rng), { numClasses });
    drawRates.push(draws / seconds(start));
  }
  console.log(`  draws with FLOPs (sampleArch + countFlops): ${summary(drawRates)}`);

  const rates = {};
  for (const [path, tableSize] of [
    ['rejection', 0],
    ['table', 32],
  ]) {
    const accepted = [];
    let stats;
    for (let round = 0; round < rounds; round++) {
      const sampler = attentiveSampler({
        space,
        prior,
        candidates: 3,
        mode: 'best',
        rank: (archs) => archs.map(() => 0),
        rng: createRng(4 + round),
        numClasses,
        tableSize,
      });
      // The table's first calls fill it; a training run makes thousands of calls.
      for (let i = 0; i < 200; i++) await sampler.sample();
      const before = sampler.stats();
      const calls = 2000;
      start = performance.now();
      for (let i = 0; i < calls; i++) await sampler.sample();
      const elapsed = seconds(start);
      stats = sampler.stats();
      accepted.push(
        (stats.candidates - before.candidates - (stats.fallbacks - before.fallbacks)) / elapsed,
      );
    }
    rates[path] = median(accepted);
    console.log(
      `  attentiveSampler ${path} (3 candidates, maxTries 100${tableSize ? `, tableSize ${tableSize}` : ''}): ` +
        `accepted candidates ${summary(accepted)}; last round: ` +
        `${(stats.candidateDraws / stats.candidates).toFixed(2)} draws per candidate, ` +
        `target bin hit ${((100 * (stats.candidates - stats.fallbacks)) / stats.candidates).toFixed(1)}%`,
    );
  }
  console.log(
    `  table / rejection: ${(rates.table / rates.rejection).toFixed(1)}x (target: >= 10,000 accepted/s)`,
  );
}
