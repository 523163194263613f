export { type CliIo, captureIo, processIo } from './cli-io.js';
export { buildProgram, runCli } from './program.js';
export { readArchFile } from './read-arch-file.js';
export { CliUsageError, isUserError, userErrorClasses } from './user-errors.js';
