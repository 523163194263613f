import { TrainerConfigError } from './errors.js';
import type { TrainConfig } from './train-loop.js';

type NumericKey = {
  [Key in keyof TrainConfig]-?: NonNullable<TrainConfig[Key]> extends number ? Key : never;
}[keyof TrainConfig];

const rules: ReadonlyArray<{
  readonly keys: readonly NumericKey[];
  readonly accept: (value: number) => boolean;
  readonly expected: string;
}> = [
  {
    keys: ['totalSteps', 'baseLr', 'gradClipValue'],
    accept: (value) => value > 0 && Number.isFinite(value),
    expected: 'a positive number',
  },
  {
    keys: [
      'warmupSteps',
      'minLr',
      'weightDecay',
      'labelSmoothing',
      'checkpointEvery',
      'labelWarmupSteps',
    ],
    accept: (value) => value >= 0 && Number.isFinite(value),
    expected: 'a number >= 0',
  },
  {
    keys: ['momentum', 'dropout', 'dropConnect'],
    accept: (value) => value >= 0 && value < 1,
    expected: 'a number in [0, 1)',
  },
];

/**
 * Checks the numeric trainer options that are present, by the rules `trainSupernet` applies;
 * throws a `TrainerConfigError` naming the first bad one. A config reader calls it with what it
 * knows before a run starts (the step count may come later, from the data set's size), so a bad
 * value fails at once instead of after the data loads.
 */
export function checkTrainerOptions(options: Partial<TrainConfig>): void {
  for (const rule of rules) {
    for (const key of rule.keys) {
      const value = options[key];
      if (value !== undefined && !(typeof value === 'number' && rule.accept(value))) {
        throw new TrainerConfigError(key, value, rule.expected);
      }
    }
  }
  const { warmupSteps, totalSteps } = options;
  if (warmupSteps !== undefined && totalSteps !== undefined && warmupSteps > totalSteps) {
    throw new TrainerConfigError('warmupSteps', warmupSteps, `at most totalSteps (${totalSteps})`);
  }
}
