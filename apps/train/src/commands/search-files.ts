import { join } from 'node:path';
import type { EvaluatedArch, SearchConstraints, SearchResult } from '@supernas/search';
import type { SearchSpace } from '@supernas/search-space';
import { atomicWrite } from '../run/atomic-write.js';

export { readJson, readPredictor } from '../predictor/read-predictor.js';

const entryJson = (entry: EvaluatedArch) => ({
  key: entry.key,
  fitness: entry.fitness,
  mflops: entry.mflops,
  params: entry.params,
  arch: entry.arch,
});

/**
 * Writes a finished search's `pareto.json` (the fronts of the objective against MFLOPs and
 * params) and `arch.json` (the chosen arch, readable by `supernas flops --arch`).
 */
export async function writeSearchFiles(
  out: string,
  input: {
    readonly space: SearchSpace;
    readonly objective: string;
    readonly constraints: SearchConstraints;
    readonly numClasses: number;
    readonly result: SearchResult;
  },
): Promise<void> {
  const { space, result } = input;
  await atomicWrite(
    join(out, 'pareto.json'),
    `${JSON.stringify(
      {
        format: 'supernas-pareto',
        formatVersion: 1,
        space: space.name,
        objective: input.objective,
        constraints: input.constraints,
        numClasses: input.numClasses,
        evaluated: result.evaluated,
        fronts: {
          mflops: result.paretoFronts.mflops.map(entryJson),
          params: result.paretoFronts.params.map(entryJson),
        },
      },
      null,
      2,
    )}\n`,
  );
  const { best } = result;
  await atomicWrite(
    join(out, 'arch.json'),
    `${JSON.stringify(
      {
        format: 'supernas-arch',
        formatVersion: 1,
        space: space.name,
        ...best.arch,
        mflops: best.mflops,
        params: best.params,
        predictedAccuracy: best.fitness,
      },
      null,
      2,
    )}\n`,
  );
}
