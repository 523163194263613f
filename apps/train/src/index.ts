export { type CliIo, captureIo, processIo } from './cli-io.js';
export { CliUsageError } from './cli-usage-error.js';
export { formatCliError } from './format-cli-error.js';
export { buildProgram, runCli } from './program.js';
export { readArchFile } from './read-arch-file.js';
