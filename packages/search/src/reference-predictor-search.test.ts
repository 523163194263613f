import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFlops } from '@supernas/flops';
import { importSklearnForest, publishedAttentivenasModels } from '@supernas/predictors';
import { attentivenasSpace } from '@supernas/search-space';
import { describeWithPython, referencePredictorFile, runTool } from '@supernas/test-utils';
import { expect, it } from 'vitest';
import { evolutionarySearch } from './evolutionary-search.js';

describeWithPython(
  'sklearn',
  'evolutionarySearch with the reference AttentiveNAS predictor',
  () => {
    it("finds, under each published model's own MFLOPs, an arch predicted at least as accurate", async () => {
      const dir = mkdtempSync(join(tmpdir(), 'search-reference-'));
      let dump: unknown;
      try {
        runTool('import_sklearn_forest.py', [
          referencePredictorFile,
          '--out',
          join(dir, 'dump.json'),
        ]);
        dump = JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const forest = importSklearnForest(dump, attentivenasSpace);
      const rows: string[] = [];
      for (const model of publishedAttentivenasModels) {
        const mflops = countFlops(attentivenasSpace, model.arch, { numClasses: 1000 }).flops / 1e6;
        expect(mflops).toBeCloseTo(model.mflops, 2);
        const [published] = forest.predict([model.arch]);
        const start = performance.now();
        const result = await evolutionarySearch({
          space: attentivenasSpace,
          fitness: forest,
          numClasses: 1000,
          constraints: { mflops: { max: mflops } },
          populationSize: 64,
          generations: 20,
          seed: 0,
        });
        const seconds = (performance.now() - start) / 1000;
        expect(result.best.mflops).toBeLessThanOrEqual(mflops);
        expect(result.best.fitness).toBeGreaterThanOrEqual(published!);
        rows.push(
          `${model.name}  budget ${mflops.toFixed(2).padStart(7)}  published ${published!.toFixed(2)}  found ${result.best.fitness.toFixed(2)} at ${result.best.mflops.toFixed(2).padStart(7)} MFLOPs  (${result.evaluated} queries, ${seconds.toFixed(2)} s, front ${result.paretoFronts.mflops.length})`,
        );
      }
      console.log(
        `reference predictor, evolutionary search (population 64, 20 generations, seed 0):\n${rows.join('\n')}`,
      );
    });
  },
  [referencePredictorFile],
);
