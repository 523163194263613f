export {
  type AdaptiveThreads,
  type AdaptThreadsOptions,
  adaptThreadsToLoad,
  type CpuSample,
  otherProcessesCores,
  parseCpuSample,
  readCpuSample,
  threadsForLoad,
} from './adaptive-threads.js';
export {
  type EnableNativeBackendOptions,
  enableNativeBackend,
  isNativeAvailable,
  type NativeBackendInfo,
  nativeBackendName,
  nativeUnavailableReason,
  releaseNativeMemory,
} from './enable-native-backend.js';
export { InvalidNativeOptionError, NativeBackendUnavailableError } from './errors.js';
export { batchNormSwishTraining, batchNormTraining, swish } from './fused-ops.js';
export { StaticSubnetUnsupportedError } from './infer/lower-inference-graph.js';
export { staticSubnetKernelName } from './infer/static-subnet-kernel.js';
export {
  getNativeKernelStats,
  type NativeKernelStats,
  resetNativeKernelStats,
} from './kernel-stats.js';
export { FusedKernelInputError, fusedKernelNames } from './kernels/fused-kernels.js';
export { defaultPoolLimitBytes, NativeBackend } from './native-backend.js';
export { type NativeVersion, nativeVersion } from './native-version.js';
