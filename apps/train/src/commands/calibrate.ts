import { join } from 'node:path';
import { archKey } from '@supernas/search-space';
import type { Command } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { ensureWritableDirectory } from '../run/writable-directory.js';
import { calibrateAndExport } from '../train/calibrate-and-export.js';
import { openRun, resolveArchOption } from '../train/open-run.js';

interface CalibrateOptions {
  readonly run: string;
  readonly arch?: string;
  readonly preset?: string;
  readonly out?: string;
  readonly backend?: BackendChoice;
}

/**
 * `supernas calibrate`: recalibrate one subnet's BN statistics on training data and write it
 * out as a standalone tfjs graph model (BN folded) that loads with `tf.loadGraphModel`.
 */
export function registerCalibrateCommand(program: Command, io: CliIo): void {
  program
    .command('calibrate')
    .description('calibrate BN for one subnet of a trained run and export it as a tfjs graph model')
    .requiredOption('--run <dir>', 'a run folder written by supernas train')
    .option('--arch <file>', 'the subnet, as JSON or YAML')
    .option('--preset <name>', 'min or max instead of --arch')
    .option(
      '--out <dir>',
      'where to write model.json and weights (default <run>/subnets/<arch key>)',
    )
    .option(
      '--backend <name>',
      `tfjs backend: ${backendChoices.join(' | ')} (default: the run's)`,
      parseBackendChoice,
    )
    .action(async (options: CalibrateOptions) => {
      // A folder that cannot be written fails before the run and its data load.
      if (options.out !== undefined) await ensureWritableDirectory(options.out, '--out');
      const run = await openRun(options.run, options.backend, io);
      try {
        const { arch } = await resolveArchOption(run.space, options);
        const out =
          options.out ??
          join(run.runDir, 'subnets', archKey(arch).replace(/[^A-Za-z0-9._-]+/g, '_'));
        const summary = await calibrateAndExport(run, arch, out);
        io.stdout(
          `calibrated on ${summary.batches} batches; exported ${summary.mflops.toFixed(2)} MFLOPs subnet to ${out}\n`,
        );
      } finally {
        run.supernet.dispose();
      }
    });
}
