import { formatValue } from '@supernas/errors';
import type { Command } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { CliUsageError } from '../cli-usage-error.js';
import { parsePositiveInteger } from '../parse-options.js';
import { parseTrainConfig, readTrainConfig, type TrainRunConfig } from '../train/config.js';
import { endJobOnError } from '../train/distributed.js';
import { runTraining } from '../train/run-training.js';
import { parseDistributedMode, startTrainingJob } from '../train/start-training-job.js';

interface TrainOptions {
  readonly config?: string;
  readonly runDir?: string;
  readonly resume?: string;
  readonly backend?: BackendChoice;
  readonly steps?: number;
  readonly seed?: number;
  readonly distributed?: 'auto' | 'mpi';
  readonly collectiveTimeout?: number;
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

const signalExitCodes = { SIGINT: 130, SIGTERM: 143, SIGUSR1: 138 } as const;

/**
 * Ctrl-C (SIGINT) or SIGTERM: the run stops after the current step, writes a checkpoint and
 * exits 130 / 143. Each listener is registered once: after the first signal, none is left for
 * it, so Node restores the default action and a second Ctrl-C ends the process at once, even in
 * the middle of a step (the checkpoint on disk is replaced atomically, so it stays intact).
 */
function stopOnSignals(
  io: CliIo,
  names: ReadonlyArray<keyof typeof signalExitCodes> = ['SIGINT', 'SIGTERM'],
): {
  signal: AbortSignal;
  exitCode: () => number;
  dispose: () => void;
} {
  const abort = new AbortController();
  let received: keyof typeof signalExitCodes = 'SIGINT';
  const listeners = names.map((signal) => {
    const listener = () => {
      if (!abort.signal.aborted) {
        received = signal;
        io.stderr(
          `\n${signal}: stopping after this step and writing a checkpoint (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to quit at once)\n`,
        );
        abort.abort();
      }
    };
    process.once(signal, listener);
    return [signal, listener] as const;
  });
  return {
    signal: abort.signal,
    exitCode: () => signalExitCodes[received],
    dispose: () => {
      for (const [signal, listener] of listeners) process.removeListener(signal, listener);
    },
  };
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
    .option(
      '--distributed <mode>',
      'auto: one rank of a data-parallel job when started by mpirun / srun, else alone; mpi: fail unless started so',
      parseDistributedMode,
    )
    .option(
      '--collective-timeout <seconds>',
      'a rank that waits this long for another (dead or hung) ends the whole job, naming it (default SUPERNAS_COLLECTIVE_TIMEOUT, else 600)',
      parsePositiveInteger,
    )
    .action(async (options: TrainOptions) => {
      if (
        options.resume !== undefined &&
        (options.config !== undefined || options.runDir !== undefined || options.seed !== undefined)
      ) {
        throw new CliUsageError(
          '--resume continues a run with its own config, seed and folder: do not combine it with --config, --run-dir or --seed (--steps extends it, --backend switches backend)',
        );
      }
      const base =
        options.config === undefined ? parseTrainConfig({}) : await readTrainConfig(options.config);
      const job = startTrainingJob(io, options);
      // Under mpirun, SIGINT / SIGTERM to mpirun end the job; mpirun forwards SIGUSR1 to every
      // rank, which then stop at the same step with a checkpoint.
      const stop = stopOnSignals(
        job.io,
        job.size > 1 ? ['SIGINT', 'SIGTERM', 'SIGUSR1'] : ['SIGINT', 'SIGTERM'],
      );
      try {
        const result = await runTraining({
          config: withOverrides(base, options),
          ...(options.resume !== undefined
            ? {
                runDir: options.resume,
                resume: true,
                overrides: {
                  ...(options.steps === undefined ? {} : { steps: options.steps }),
                  ...(options.backend === undefined ? {} : { backend: options.backend }),
                },
              }
            : {}),
          ...(options.runDir !== undefined ? { runDir: options.runDir } : {}),
          io,
          signal: stop.signal,
          distributed: job,
        });
        if (result.interrupted) process.exitCode = stop.exitCode();
        await job.collective.close();
      } catch (error) {
        endJobOnError(job, error, program.opts<{ verbose?: boolean }>().verbose === true);
        throw error;
      } finally {
        stop.dispose();
      }
    });
}
