import { formatValue, SupernasError } from '@supernas/errors';

/**
 * Weights that became NaN or infinite while every loss of the step stayed finite (a learning
 * rate so large that one update overflows). Raised instead of writing them to a checkpoint, so
 * the last checkpoint stays the last good state.
 */
export class NonFiniteWeightsError extends SupernasError {
  constructor(
    /** The 1-based step after whose update the weights were found non-finite. */
    readonly step: number,
    /** The first non-finite weight, by name. */
    readonly weightName: string,
    readonly value: number,
  ) {
    super(
      `Non-finite weight ${weightName} (${formatValue(value)}) after step ${step}: training diverged; the weights were not checkpointed, the last checkpoint is intact.`,
      { code: 'non_finite_weights' },
    );
  }
}
