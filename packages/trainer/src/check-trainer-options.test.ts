import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import { checkTrainerOptions } from './check-trainer-options.js';
import { TrainerConfigError } from './errors.js';

function caught(run: () => void): TrainerConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof TrainerConfigError) return error;
    throw error;
  }
  throw new Error('expected a TrainerConfigError');
}

describe('checkTrainerOptions', () => {
  it('accepts the options it is given when they are in range, ignoring absent ones', () => {
    expect(checkTrainerOptions({})).toBeUndefined();
    expect(
      checkTrainerOptions({
        baseLr: 0.1,
        momentum: 0.9,
        dropout: 0,
        warmupSteps: 5,
        totalSteps: 5,
      }),
    ).toBeUndefined();
  });

  it('names the first bad option, its value and the range', () => {
    const error = caught(() => checkTrainerOptions({ baseLr: 0.1, momentum: 1 }));
    expect(error.message).toBe(
      'Invalid trainer config: momentum is 1, expected a number in [0, 1)',
    );
    expect([error.key, error.value, error.code]).toEqual(['momentum', 1, 'trainer_config']);
    expect(SupernasError.isInstance(error)).toBe(true);
    expect(caught(() => checkTrainerOptions({ gradClipValue: Number.NaN })).message).toBe(
      'Invalid trainer config: gradClipValue is NaN, expected a positive number',
    );
    expect(caught(() => checkTrainerOptions({ warmupSteps: 6, totalSteps: 5 })).message).toBe(
      'Invalid trainer config: warmupSteps is 6, expected at most totalSteps (5)',
    );
  });
});
