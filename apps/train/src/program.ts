import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { type CliIo, processIo } from './cli-io.js';
import { registerCalibrateCommand } from './commands/calibrate.js';
import { registerEnvironmentCommands } from './commands/environment.js';
import { registerEvalCommand } from './commands/eval.js';
import { registerExportCommand } from './commands/export.js';
import { registerFlopsCommand } from './commands/flops.js';
import { registerImportTorchCommand } from './commands/import-torch.js';
import { registerPredictorBuildCommand } from './commands/predictor-build.js';
import { registerPredictorImportCommand } from './commands/predictor-import.js';
import { registerSearchCommand } from './commands/search.js';
import { registerSpaceCommands } from './commands/space-show.js';
import { registerTrainCommand } from './commands/train.js';
import { formatCliError } from './format-cli-error.js';
import { refuseUnderMpirun } from './train/mpirun-guard.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * The `supernas` command tree, writing through `io`. Commands live one per file under
 * `commands/`, each with a `register...(program, io)`; they must be added with
 * `program.command(...)` (not `addCommand`) so they inherit the output and exit settings below.
 * Commander errors are thrown as `CommanderError` instead of exiting, so tests run in-process.
 */
export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command('supernas')
    .description('Train weight-sharing supernets and search them for efficient subnets.')
    .version(version)
    .option('--verbose', 'on error, print the stack and the chain of causes')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(add --help for usage)');
  registerSpaceCommands(program, io);
  registerFlopsCommand(program, io);
  registerTrainCommand(program, io);
  registerCalibrateCommand(program, io);
  registerEvalCommand(program, io);
  registerExportCommand(program, io);
  registerImportTorchCommand(program, io);
  registerPredictorImportCommand(program, io);
  registerPredictorBuildCommand(program, io);
  registerSearchCommand(program, io);
  registerEnvironmentCommands(program, io);
  program.hook('preAction', (_program, command) => refuseUnderMpirun(commandPath(command)));
  return program;
}

/** `predictor build` for the command `build` under `predictor`. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at?.parent != null; at = at.parent)
    names.unshift(at.name());
  return names.join(' ');
}

/**
 * Runs one command line (without `node` and the script path) and returns the exit code: 0 on
 * success, commander's code for usage errors (already printed), 1 for bad input (any
 * `SupernasError`: one line on stderr, no stack) and for unexpected errors (with the stack,
 * since those are bugs). `--verbose` prints the stack and causes of bad input too.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    io.stderr(formatCliError(error, program.opts<{ verbose?: boolean }>().verbose === true));
    return 1;
  }
}
