import type { ArchConfig } from '@supernas/search-space';
import { CliUsageError } from '../cli-usage-error.js';
import {
  type EvaluationOptions,
  evaluateSubnet,
  type SubnetResult,
} from '../train/evaluate-subnets.js';
import { limitDataset } from '../train/load-dataset.js';
import type { OpenRun } from '../train/open-run.js';

export interface HeldOutEvaluatorOptions {
  /** BN calibration batches (default: the run's `evaluation.calibrationBatches`). */
  readonly calibrationBatches?: number;
  /** Evaluate on this many held-out images (seeded) instead of all of them. */
  readonly holdoutLimit?: number;
}

export interface HeldOutEvaluator {
  /** Held-out examples each evaluation classifies. */
  readonly examples: number;
  /** Training batches each BN calibration runs on. */
  readonly calibrationBatches: number;
  /** BN-calibrates `arch` on training batches drawn with `calibrationSeed`, then classifies the held-out images. */
  heldOut(arch: ArchConfig, calibrationSeed?: number): Promise<SubnetResult>;
  /** The same on the test split: for the numbers reported at the end only. */
  test(arch: ArchConfig): Promise<SubnetResult>;
}

/**
 * Measures subnets of an opened run the way `supernas train` reports them (BN calibration on
 * training images with the run's augmentation, then top-1), but on the run's held-out images,
 * which neither training nor the test split share.
 */
export function heldOutEvaluator(
  run: OpenRun,
  options: HeldOutEvaluatorOptions = {},
): HeldOutEvaluator {
  if (run.heldOut.size === 0) {
    throw new CliUsageError(
      `${run.runDir} kept no training images out of training (data.heldOut is 0, or the run predates it): train a run with data.heldOut > 0 to build predictors and search on held-out data`,
    );
  }
  const { config } = run;
  const heldOut = limitDataset(run.heldOut, options.holdoutLimit, config.seed);
  const evaluation: EvaluationOptions = {
    ...config.evaluation,
    calibrationBatches: options.calibrationBatches ?? config.evaluation.calibrationBatches,
    seed: config.seed,
    ...(config.data.augmentation === undefined ? {} : { augmentation: config.data.augmentation }),
  };
  return {
    examples: heldOut.size,
    calibrationBatches: evaluation.calibrationBatches,
    heldOut: (arch, calibrationSeed = config.seed) =>
      evaluateSubnet(
        run.supernet,
        arch,
        'held-out',
        { train: run.train, test: heldOut },
        {
          ...evaluation,
          seed: calibrationSeed,
        },
      ),
    test: (arch) => evaluateSubnet(run.supernet, arch, 'test', run, evaluation),
  };
}
