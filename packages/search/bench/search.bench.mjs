// Throughput of the forest predictor and of a whole evolutionary search with it.
// Run after a build: `pnpm --filter @supernas/search bench`. Uses the reference AttentiveNAS
// forest when /usr/bin/python3 has scikit-learn (SUPERNAS_PYTHON overrides), else a forest of
// the same size (100 trees, depth 15) fitted on 512 synthetic archs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importSklearnForest, randomForest } from '@supernas/predictors';
import {
  createRng,
  encodeArch,
  sampleArch,
  attentivenasSpace as space,
} from '@supernas/search-space';
import { createEvolutionarySearch } from '../dist/index.js';

const referenceModel =
  process.env.SUPERNAS_ACC_PREDICTOR ?? '/work/shared/reference/acc_predictor.joblib';
const python = process.env.SUPERNAS_PYTHON ?? '/usr/bin/python3';

async function loadForest() {
  const dir = mkdtempSync(join(tmpdir(), 'search-bench-'));
  try {
    const tool = new URL('../../../tools/import_sklearn_forest.py', import.meta.url).pathname;
    execFileSync(python, [tool, referenceModel, '--out', join(dir, 'dump.json')], {
      stdio: 'ignore',
    });
    const forest = importSklearnForest(
      JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8')),
      space,
    );
    return { forest, source: 'reference acc_predictor.joblib' };
  } catch {
    const rng = createRng(1);
    const archs = Array.from({ length: 512 }, () => sampleArch(space, rng));
    const accuracies = archs.map((arch) =>
      encodeArch(space, arch).reduce((sum, v, g) => sum + v * ((g % 5) + 1), 60),
    );
    const forest = randomForest({ space, trees: 100, maxDepth: 15, seed: 0 });
    await forest.fit(archs, accuracies);
    return { forest, source: 'forest fitted on 512 synthetic archs (no scikit-learn here)' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { forest, source } = await loadForest();
const { trees, nodes } = forest.size;
console.log(`predictor: ${source}, ${trees} trees, ${nodes} nodes`);

const rng = createRng(2);
const archs = Array.from({ length: 10_000 }, () => sampleArch(space, rng));
forest.predict(archs.slice(0, 1000)); // warm-up
const times = [];
for (let round = 0; round < 5; round++) {
  const start = process.hrtime.bigint();
  forest.predict(archs);
  times.push(Number(process.hrtime.bigint() - start) / 1e9);
}
const best = Math.min(...times);
console.log(
  `forest.predict: ${archs.length} archs in ${(best * 1000).toFixed(1)} ms (best of 5), ${Math.round(archs.length / best).toLocaleString('en-US')} queries/s`,
);

for (const max of [350, 600]) {
  let queries = 0;
  const search = createEvolutionarySearch({
    space,
    fitness: (batch) => {
      queries += batch.length;
      return forest.predict(batch);
    },
    numClasses: 1000,
    constraints: { mflops: { max } },
    populationSize: 100,
    generations: 1000,
    seed: 0,
  });
  const start = process.hrtime.bigint();
  while (queries < 10_000) await search.step();
  const result = search.result();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(
    `search <= ${max} MFLOPs: ${queries} evaluated candidates in ${seconds.toFixed(2)} s (${search.generation} generations, best ${result.best.fitness.toFixed(2)} at ${result.best.mflops.toFixed(1)} MFLOPs, MFLOPs front ${result.paretoFronts.mflops.length})`,
  );
}
