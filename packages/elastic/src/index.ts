// The layer rules live in @supernas/search-space (one rulebook for FLOPs, the elastic layers and
// export); these are the names this package exported them under before.
export {
  convOutputSize,
  headExpandChannels as headExpandWidth,
  makeDivisible,
  midChannels as middleWidth,
  roundHalfToEven as pythonRound,
  seChannels as seMiddleWidth,
} from '@supernas/search-space';
export { type AnyActivation, applyActivation } from './activation.js';
export { batchNormEpsilon } from './batch-norm.js';
export {
  type CalibrateBatchNormOptions,
  type CalibrationResult,
  calibrateBatchNorm,
} from './calibrate-batch-norm.js';
export { countParameters } from './count-parameters.js';
export { type CreateSupernetOptions, createSupernet } from './create-supernet.js';
export { disposeStaticSubnet } from './dispose-static-subnet.js';
export {
  DisposedError,
  ElasticOptionError,
  GradientRegistrationError,
  InputShapeError,
  MissingWeightError,
  StaticGraphError,
} from './errors.js';
export * from './export/index.js';
export { extractSubnet } from './extract-subnet.js';
export { foldBatchNorm } from './fold-batch-norm.js';
export * from './interop/index.js';
export * from './io/index.js';
export {
  type BatchNormNames,
  type BlockNames,
  batchNormNames,
  blockNames,
  firstConvNames,
  headNames,
} from './parameter-names.js';
export { registerCpuSliceKernel } from './register-cpu-slice-kernel.js';
export { registerGradients } from './register-gradients.js';
export { runStaticSubnet } from './run-static-subnet.js';
export { staticSubnetKernelName } from './run-static-subnet-kernel.js';
export { type ActiveBlock, planSubnet, type SubnetPlan } from './subnet-plan.js';
export {
  type ParameterInit,
  type ParameterSpec,
  type SupernetBlockLayout,
  type SupernetLayout,
  supernetLayout,
} from './supernet-layout.js';
export type { ApplyOptions, StaticNode, StaticSubnet, Supernet } from './types.js';
