export type { Collective, FloatArray, ReduceOp, TypedArray } from './collective.js';
export { detectCollective, isUnderMpirun } from './detect-collective.js';
export {
  CollectiveFailedError,
  type CollectiveFailureDetails,
  CollectiveStateError,
  CollectiveTimeoutError,
  InvalidCollectiveArgumentError,
  MpiUnavailableError,
} from './errors.js';
export { isMpiAvailable, mpiUnavailableReason } from './load-addon.js';
export { localCollective } from './local-collective.js';
export {
  defaultCollectiveTimeoutSeconds,
  type MpiCollective,
  type MpiCollectiveOptions,
  mpiCollective,
} from './mpi-collective.js';
