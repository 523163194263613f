export {
  backendSkipReason,
  type DescribeForBackendsOptions,
  describeForBackends,
  registerTestBackend,
  type TestBackend,
} from './describe-for-backends.js';
export { closeMismatch, expectClose, type Tolerance } from './expect-close.js';
export { microSpace } from './micro-space.js';
export {
  describeWithPython,
  missingPython,
  python,
  referencePredictorFile,
  repositoryRoot,
  runTool,
} from './python-tools.js';
export { type Rng, seededRng, seededValues } from './random.js';
export {
  describeRequiring,
  itRequiring,
  knownRequirements,
  type Requirement,
  requiredByEnvironment,
  requireOrSkip,
} from './require-or-skip.js';
export { oddMapSpace, randomizeBatchNorms } from './supernet-fixtures.js';
export { seededTensor } from './tensors.js';
