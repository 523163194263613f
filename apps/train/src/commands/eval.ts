import type { Command } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { evaluateSubnet } from '../train/evaluate-subnets.js';
import { openRun, resolveArchOption } from '../train/open-run.js';
import { formatResultsTable } from '../train/results-table.js';

interface EvalOptions {
  readonly run: string;
  readonly arch?: string;
  readonly preset?: string;
  readonly backend?: BackendChoice;
  readonly json?: boolean;
}

/** `supernas eval`: BN-calibrate one subnet of a trained run and measure its test top-1. */
export function registerEvalCommand(program: Command, io: CliIo): void {
  program
    .command('eval')
    .description(
      'calibrate BN for one subnet of a trained run and report its top-1 on the test split',
    )
    .requiredOption('--run <dir>', 'a run folder written by supernas train')
    .option('--arch <file>', 'the subnet, as JSON or YAML')
    .option('--preset <name>', 'min or max instead of --arch')
    .option(
      '--backend <name>',
      `tfjs backend: ${backendChoices.join(' | ')} (default: the run's)`,
      parseBackendChoice,
    )
    .option('--json', 'print one JSON line with the result')
    .action(async (options: EvalOptions) => {
      const run = await openRun(options.run, options.backend, io);
      try {
        const { label, arch } = await resolveArchOption(run.space, options);
        const result = await evaluateSubnet(run.supernet, arch, label, run, {
          ...run.config.evaluation,
          seed: run.config.seed,
          ...(run.config.data.augmentation === undefined
            ? {}
            : { augmentation: run.config.data.augmentation }),
        });
        io.stdout(
          options.json ? `${JSON.stringify(result)}\n` : `${formatResultsTable([result])}\n`,
        );
      } finally {
        run.supernet.dispose();
      }
    });
}
