export { CheckpointError, CorruptWeightsError } from './checkpoint-error.js';
export {
  type Checkpoint,
  type CheckpointableOptimizer,
  type CheckpointOptimizerState,
  type CheckpointOptimizerTopology,
  type CheckpointTopology,
  checkpointFormat,
  checkpointFormatVersion,
  type OptimizerStateTensor,
} from './checkpoint-format.js';
export { crc32 } from './crc32.js';
export { disposeCheckpoint } from './dispose-checkpoint.js';
export { loadCheckpoint } from './load-checkpoint.js';
export {
  type LoadedSupernet,
  type LoadSupernetOptions,
  loadSupernet,
  type SupernetFactory,
} from './load-supernet.js';
export { IoHandlerError, type UrlOrHandler } from './resolve-io-handler.js';
export { restoreOptimizer } from './restore-optimizer.js';
export { restoreSupernet } from './restore-supernet.js';
export { type SaveSupernetOptions, saveSupernet } from './save-supernet.js';
