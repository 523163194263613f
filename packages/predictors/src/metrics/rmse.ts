import { checkPairs } from './check-pairs.js';

/** Root mean squared error between predictions and targets. */
export function rmse(predicted: readonly number[], actual: readonly number[]): number {
  checkPairs('rmse', predicted, actual, 1);
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) {
    const error = (predicted[i] as number) - (actual[i] as number);
    sum += error * error;
  }
  return Math.sqrt(sum / predicted.length);
}
