import type { CountOptions } from './flops-breakdown.js';
import { FlopsOptionError } from './flops-option-error.js';

/** Throws a `FlopsOptionError` naming a class or channel count that is not a positive integer. */
export function checkCountOptions(caller: string, options: CountOptions): void {
  for (const key of ['numClasses', 'inputChannels'] as const) {
    const value = options[key];
    if (value === undefined && key === 'inputChannels') continue;
    if (!(typeof value === 'number' && Number.isInteger(value) && value >= 1)) {
      throw new FlopsOptionError(caller, key, value, 'a positive integer');
    }
  }
}
