import type { ArchConfig } from '@supernas/search-space';
import type { ArchEncoder } from './encoders.js';
import { expectedMessage, PredictorError } from './predictor-error.js';

/** Validates (archs, accuracies) and encodes the archs; throws `PredictorError` otherwise. */
export function encodeTrainingData(
  who: string,
  encoder: ArchEncoder,
  archs: readonly ArchConfig[],
  accuracies: readonly number[],
  minimum = 2,
): number[][] {
  if (!Array.isArray(archs) || archs.length < minimum) {
    throw new PredictorError(
      `${who}: ${expectedMessage('archs', `an array of at least ${minimum} archs`, archs?.length ?? archs)}`,
      { code: 'invalid_training_data', value: archs },
    );
  }
  if (!Array.isArray(accuracies) || accuracies.length !== archs.length) {
    throw new PredictorError(
      `${who}: ${expectedMessage('accuracies', `${archs.length} numbers, one per arch`, accuracies?.length ?? accuracies)}`,
      { code: 'invalid_training_data', value: accuracies },
    );
  }
  const bad = accuracies.findIndex((value) => typeof value !== 'number' || !Number.isFinite(value));
  if (bad >= 0) {
    throw new PredictorError(
      `${who}: ${expectedMessage(`accuracies[${bad}]`, 'a finite number', accuracies[bad])}`,
      { code: 'invalid_training_data', value: accuracies[bad] },
    );
  }
  return archs.map((arch) => encoder.encode(arch));
}

/** Throws unless the predictor has parameters. */
export function checkFitted(kind: string, fitted: boolean): void {
  if (!fitted) {
    throw new PredictorError(
      `${kind} predictor: call fit() (or load a fitted one) before predict()`,
      {
        code: 'predictor_not_fitted',
      },
    );
  }
}
