import { formatValue } from '@supernas/errors';
import type { Command } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parsePositiveInteger } from '../parse-options.js';
import { parseTrainConfig, readTrainConfig, type TrainRunConfig } from '../train/config.js';
import { runTraining } from '../train/run-training.js';

interface TrainOptions {
  readonly config?: string;
  readonly runDir?: string;
  readonly resume?: string;
  readonly backend?: BackendChoice;
  readonly steps?: number;
  readonly seed?: number;
}

/** Command-line flags override the config file; the result is validated again. */
function withOverrides(config: TrainRunConfig, options: TrainOptions): TrainRunConfig {
  return parseTrainConfig(
    {
      ...config,
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      training: {
        ...config.training,
        ...(options.steps === undefined ? {} : { steps: options.steps }),
      },
    },
    'after command-line overrides',
  );
}

/** `supernas train`: the main job. */
export function registerTrainCommand(program: Command, io: CliIo): void {
  program
    .command('train')
    .description(
      'train a supernet (default: tiny space on Fashion-MNIST, attentive BestUp, alpha-divergence), then calibrate BN and evaluate subnets',
    )
    .option(
      '--config <file>',
      'YAML or JSON run config (see apps/train/README.md); defaults for every key',
    )
    .option(
      '--run-dir <dir>',
      'where the run writes config, metrics, checkpoint and results (default runs/<timestamp>)',
    )
    .option('--resume <dir>', 'continue the run in <dir> from its last checkpoint')
    .option('--backend <name>', `tfjs backend: ${backendChoices.join(' | ')}`, parseBackendChoice)
    .option('--steps <n>', 'training steps (overrides the config)', parsePositiveInteger)
    .option('--seed <n>', 'seed of everything random in the run', (value: string) => {
      const seed = Number(value);
      if (!Number.isInteger(seed) || seed < 0)
        throw new CliUsageError(`--seed is ${formatValue(value)}, expected an integer >= 0`);
      return seed;
    })
    .action(async (options: TrainOptions) => {
      if (
        options.resume !== undefined &&
        (options.config !== undefined || options.runDir !== undefined)
      ) {
        throw new CliUsageError(
          '--resume continues a run with its own config and folder: do not combine it with --config or --run-dir',
        );
      }
      const base =
        options.config === undefined ? parseTrainConfig({}) : await readTrainConfig(options.config);
      const abort = new AbortController();
      const onSignal = () => {
        io.stderr(
          '\nstopping after this step and writing a checkpoint (Ctrl-C again to quit at once)\n',
        );
        abort.abort();
        process.once('SIGINT', () => process.exit(130));
      };
      process.once('SIGINT', onSignal);
      try {
        const result = await runTraining({
          config: withOverrides(base, options),
          ...(options.resume !== undefined ? { runDir: options.resume, resume: true } : {}),
          ...(options.runDir !== undefined ? { runDir: options.runDir } : {}),
          io,
          signal: abort.signal,
        });
        if (result.interrupted) process.exitCode = 130;
      } finally {
        process.removeListener('SIGINT', onSignal);
      }
    });
}
