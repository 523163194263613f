import { resolve } from 'node:path';
import type { Dataset } from '@supernas/data';
import { flopsPrior } from '@supernas/flops';
import { predictorRanker } from '@supernas/predictors';
import {
  attentiveSampler,
  type RankArchs,
  type Sampler,
  sandwichSampler,
  uniformSampler,
} from '@supernas/samplers';
import { deriveRng, type SearchSpace } from '@supernas/search-space';
import type { DistillationConfig, TrainConfig } from '@supernas/trainer';
import { readPredictor } from '../predictor/read-predictor.js';
import type { TrainRunConfig } from './config.js';

/**
 * The side of the training batches, which `sandwichStep` then resizes to each subnet's
 * resolution: small fixed-size images (Fashion-MNIST, CIFAR) at their own size, so each subnet
 * sees them resampled once, as in calibration and evaluation; larger or mixed-size images (image
 * folders) cropped to the space's largest resolution.
 */
export function trainingBatchResolution(
  dataset: Pick<Dataset, 'height' | 'width'>,
  space: SearchSpace,
): number {
  const largest = Math.max(...space.resolutions);
  const { height, width } = dataset;
  return height !== undefined && height === width && height <= largest ? height : largest;
}

/**
 * The trainer's config for a run of `totalSteps` steps of `batchesPerEpoch` batches an epoch.
 * The LR schedule is a function of `totalSteps`: a run extended with `--resume --steps N` follows
 * the schedule of a run started with N steps from its next step on.
 */
export function trainConfigOf(
  config: TrainRunConfig,
  totalSteps: number,
  batchesPerEpoch: number,
): TrainConfig {
  const { training } = config;
  const { distillation, labelWarmupSteps } = splitDistillation(
    config.distillation,
    batchesPerEpoch,
  );
  return {
    totalSteps,
    warmupSteps: Math.min(totalSteps, Math.round(training.warmupFraction * totalSteps)),
    baseLr: training.baseLr,
    minLr: training.minLr,
    momentum: training.momentum,
    nesterov: training.nesterov,
    weightDecay: training.weightDecay,
    seed: config.seed,
    checkpointEvery: training.checkpointEvery,
    labelSmoothing: training.labelSmoothing,
    dropout: training.dropout,
    dropConnect: training.dropConnect,
    gradClipValue: training.gradClipValue,
    distillation,
    labelWarmupSteps,
  };
}

function splitDistillation(
  config: TrainRunConfig['distillation'],
  batchesPerEpoch: number,
): { distillation: DistillationConfig; labelWarmupSteps: number } {
  if (config.kind === 'none') return { distillation: config, labelWarmupSteps: 0 };
  const { labelWarmupEpochs, ...distillation } = config;
  return { distillation, labelWarmupSteps: Math.round(labelWarmupEpochs * batchesPerEpoch) };
}

/**
 * The ranking the attentive sampler uses instead of the trainer's mini-batch losses:
 * `sampler.rankBy: predictor` loads `sampler.predictor` (of the run's space, else a
 * `predictor_space_mismatch` error) and ranks by predicted accuracy. Undefined for `loss`.
 */
export async function samplerRank(
  space: SearchSpace,
  config: TrainRunConfig,
): Promise<RankArchs | undefined> {
  if (config.sampler.kind !== 'attentive' || config.sampler.rankBy !== 'predictor')
    return undefined;
  const predictor = await readPredictor(resolve(config.sampler.predictor!), space);
  return predictorRanker(predictor, space);
}

/** The trainer passes its loss ranking on every call; a predictor ranking replaces it. */
function rankedBy(sampler: Sampler, rank: RankArchs): Sampler {
  return {
    name: sampler.name,
    sample: (context = {}) => sampler.sample({ ...context, rank }),
    stats: () => sampler.stats(),
    report: () => sampler.report(),
    state: () => sampler.state(),
    restore: (state) => sampler.restore(state),
  };
}

/**
 * The run's sandwich sampler, drawing from the run's `sampler` stream; with `rank` (see
 * `samplerRank`), the attentive candidates are ranked by it.
 */
export function makeSampler(
  space: SearchSpace,
  config: TrainRunConfig,
  numClasses: number,
  inputChannels: number,
  rank?: RankArchs,
): Sampler {
  const rng = deriveRng(config.seed, 'sampler');
  const inner =
    config.sampler.kind === 'uniform'
      ? uniformSampler({ space, rng: rng.fork() })
      : attentiveSampler({
          space,
          prior: flopsPrior(space, {
            samples: config.sampler.priorSamples,
            bins: config.sampler.priorBins,
            rng: rng.fork(),
            numClasses,
            inputChannels,
          }),
          candidates: config.sampler.candidates,
          mode: config.sampler.mode,
          rng: rng.fork(),
          numClasses,
        });
  const sandwich = sandwichSampler({ space, middle: config.sampler.middle, inner });
  return rank === undefined ? sandwich : rankedBy(sandwich, rank);
}
