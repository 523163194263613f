// Node-only IO (node:fs), kept out of the main entry so browser bundles never load it.
export { fileSystemHandler, ModelFileError } from './file-system-handler.js';
export { registerFileSystemHandlers } from './register-file-system-handlers.js';
