export { checkTrainerOptions } from './check-trainer-options.js';
export { NonFiniteLossError, TrainerConfigError } from './errors.js';
export { type LrScheduleConfig, warmupCosineLr } from './lr-schedule.js';
export { NonFiniteWeightsError } from './non-finite-weights-error.js';
export { PhaseTimes, type RunPhase } from './phase-times.js';
export { type RankBatch, rankByMinibatchLoss } from './rank-by-loss.js';
export {
  type DataParallel,
  type DistillationConfig,
  isDecayedParameter,
  resizeBatch,
  type SandwichStepConfig,
  type SandwichStepInput,
  type SubnetLoss,
  sandwichStep,
} from './sandwich-step.js';
export { Sgd, type SgdConfig, sgdStepKernelName } from './sgd.js';
export {
  type BatchSource,
  type StepRecord,
  type TrainConfig,
  type TrainingState,
  type TrainLoopInput,
  trainSupernet,
  validateTrainConfig,
} from './train-loop.js';
