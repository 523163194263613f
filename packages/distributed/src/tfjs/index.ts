export {
  type AllreduceGradientsOptions,
  allreduceGradients,
  defaultBucketBytes,
} from './allreduce-gradients.js';
export { type BroadcastVariablesOptions, broadcastVariables } from './broadcast-variables.js';
export { type DataParallel, dataParallel } from './data-parallel.js';
