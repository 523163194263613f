import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { disposeCheckpoint, loadCheckpoint } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import { ridgeRegression } from '@supernas/predictors';
import type { SamplerState } from '@supernas/samplers';
import {
  type ArchConfig,
  archKey,
  attentivenasSpace,
  createRng,
  getSearchSpace,
  sampleArch,
} from '@supernas/search-space';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { ConfigError, parseTrainConfig } from './config.js';
import { runTraining } from './run-training.js';
import { makeSampler, samplerRank } from './train-setup.js';

const space = getSearchSpace('tiny');
/**
 * A ridge predictor of the tiny space fitted to "accuracy = MFLOPs" on 24 archs: a fixture whose
 * ranking is known (larger archs score higher), not a measurement.
 */
async function writeFlopsPredictor(path: string, predictorSpace = space): Promise<void> {
  const rng = createRng(9);
  const archs = Array.from({ length: 24 }, () => sampleArch(predictorSpace, rng));
  const ridge = ridgeRegression({ space: predictorSpace });
  await ridge.fit(
    archs,
    archs.map(
      (arch) => countFlops(predictorSpace, arch, { numClasses: 10, inputChannels: 1 }).flops / 1e6,
    ),
  );
  await writeFile(path, JSON.stringify(ridge.toJSON()));
}

describe('sampler.rankBy predictor', () => {
  let root: string;
  let predictorPath: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supernas-rank-'));
    predictorPath = join(root, 'predictor.json');
    await writeFlopsPredictor(predictorPath);
  });

  it("ranks the attentive candidates with the predictor, not the trainer's loss ranking", async () => {
    const config = parseTrainConfig({
      sampler: { rankBy: 'predictor', predictor: predictorPath, candidates: 4, middle: 2 },
    });
    const predictorRank = (await samplerRank(space, config))!;
    const calls: Array<{ archs: readonly ArchConfig[]; scores: readonly number[] }> = [];
    const recordingRank = (archs: readonly ArchConfig[]) => {
      const scores = predictorRank(archs, {}) as readonly number[];
      calls.push({ archs, scores });
      return scores;
    };
    const sampler = makeSampler(space, config, 10, 1, recordingRank);
    const lossRank = () => {
      throw new Error('the loss ranking must not be called');
    };
    for (let step = 0; step < 3; step++) {
      const [, ...middleAndMin] = await sampler.sample({ step, rank: lossRank });
      const middle = middleAndMin.slice(0, 2);
      const ranked = calls.slice(-2);
      middle.forEach((arch, i) => {
        const { archs, scores } = ranked[i]!;
        const best = scores.indexOf(Math.min(...scores));
        expect(archKey(arch)).toBe(archKey(archs[best]!));
      });
    }
    expect(calls).toHaveLength(6);
  });

  it('trains a short run ranked by the predictor, recording the rank calls in the checkpoint', async () => {
    const runDir = join(root, 'run');
    const result = await runTraining({
      config: parseTrainConfig({
        backend: 'wasm',
        data: { trainLimit: 64, testLimit: 32, batchSize: 16 },
        training: { steps: 2, checkpointEvery: 2 },
        sampler: { rankBy: 'predictor', predictor: predictorPath, middle: 2 },
      }),
      runDir,
      io: captureIo(),
      skipEvaluation: true,
    });
    expect(result.steps).toBe(2);
    const checkpoint = await loadCheckpoint(fileSystemHandler(join(runDir, 'checkpoint')));
    const state = checkpoint.metadata.samplerState as SamplerState;
    disposeCheckpoint(checkpoint);
    expect(state.inner?.stats.rankCalls).toBe(4);
  }, 300_000);

  it('refuses rankBy predictor without a predictor, and a predictor of another space, in one line', async () => {
    expect(() => parseTrainConfig({ sampler: { rankBy: 'predictor' } })).toThrow(ConfigError);
    expect(() => parseTrainConfig({ sampler: { rankBy: 'predictor' } })).toThrow(
      'Invalid config (inline): sampler.predictor: rankBy predictor needs sampler.predictor: a predictor JSON file of the space',
    );
    const otherPath = join(root, 'attentivenas.json');
    await writeFlopsPredictor(otherPath, attentivenasSpace);
    const config = parseTrainConfig({ sampler: { rankBy: 'predictor', predictor: otherPath } });
    await expect(samplerRank(space, config)).rejects.toThrow(
      "the predictor was made for space 'attentivenas' and cannot score archs of space 'tiny'",
    );
  });
});
