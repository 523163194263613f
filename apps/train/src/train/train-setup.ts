import type { Dataset } from '@supernas/data';
import { flopsPrior } from '@supernas/flops';
import {
  attentiveSampler,
  type Sampler,
  sandwichSampler,
  uniformSampler,
} from '@supernas/samplers';
import { deriveRng, type SearchSpace } from '@supernas/search-space';
import type { DistillationConfig, TrainConfig } from '@supernas/trainer';
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

/** The run's sandwich sampler, drawing from the run's `sampler` stream. */
export function makeSampler(
  space: SearchSpace,
  config: TrainRunConfig,
  numClasses: number,
  inputChannels: number,
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
  return sandwichSampler({ space, middle: config.sampler.middle, inner });
}
