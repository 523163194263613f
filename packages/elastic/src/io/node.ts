// Node-only IO (node:fs), kept out of the main entry so browser bundles never load it.

export { importTorchDumpFolder } from '../interop/import-torch-dump-folder.js';
export { readTorchDump } from '../interop/read-torch-dump.js';
export { fileSystemHandler, ModelFileError } from './file-system-handler.js';
export { registerFileSystemHandlers } from './register-file-system-handlers.js';
