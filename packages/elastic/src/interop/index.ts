export {
  type ImportTorchDumpOptions,
  importTorchDump,
  supernetFromTorchDump,
} from './import-torch-dump.js';
export {
  type TorchDump,
  type TorchDumpManifest,
  type TorchDumpTensor,
  torchDumpFormat,
  torchDumpFormatVersion,
} from './torch-dump-format.js';
export { TorchImportError, type TorchImportProblem } from './torch-import-error.js';
export {
  type LaidOutTensor,
  type TorchLayout,
  torchLayoutOf,
  torchToTfjsLayout,
} from './torch-to-tfjs-layout.js';
