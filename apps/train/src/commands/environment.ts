import { Argument, type Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { formatDoctorReport, runDoctor } from '../environment/doctor.js';
import { setupTensorflow } from '../environment/setup-tensorflow.js';
import { type TensorflowTarget, tensorflowPackages } from '../environment/tensorflow-packages.js';

/**
 * `supernas doctor` (what runs here, and the command for what does not) and `supernas setup`
 * (the opt-in libtensorflow backends).
 */
export function registerEnvironmentCommands(program: Command, io: CliIo): void {
  program
    .command('doctor')
    .description(
      'list every backend, data set and tool supernas can use, whether each works here, and the command that makes it work',
    )
    .option(
      '--json',
      'print one JSON object {backends, datasets, tools} of {id, name, usable, detail, fix, info}',
    )
    .action(async (options: { json?: boolean }) => {
      const report = await runDoctor();
      io.stdout(options.json ? `${JSON.stringify(report)}\n` : formatDoctorReport(report));
    });

  program
    .command('setup')
    .description(
      'install an opt-in backend: gpu = @tensorflow/tfjs-node-gpu (libtensorflow with CUDA), cpu = @tensorflow/tfjs-node; downloads libtensorflow from Google storage',
    )
    .addArgument(
      new Argument('<target>', 'what to install').choices(
        tensorflowPackages.map((pkg) => pkg.target),
      ),
    )
    .action(async (target: TensorflowTarget) => {
      const pkg = await setupTensorflow(target, { log: (line) => io.stderr(`${line}\n`) });
      io.stdout(
        `installed ${pkg.specifier}: --backend auto now prefers it (check with \`supernas doctor\`)\n`,
      );
    });
}
