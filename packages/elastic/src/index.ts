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
export { makeDivisible, pythonRound } from './make-divisible.js';
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
export {
  type ActiveBlock,
  convOutputSize,
  planSubnet,
  type ShortcutPlan,
  type SubnetPlan,
} from './subnet-plan.js';
export {
  type BlockLayout,
  headExpandWidth,
  middleWidth,
  type ParameterInit,
  type ParameterSpec,
  type SupernetLayout,
  seMiddleWidth,
  supernetLayout,
} from './supernet-layout.js';
export type { ApplyOptions, StaticNode, StaticSubnet, Supernet } from './types.js';
