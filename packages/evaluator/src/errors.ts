import { formatValue, SupernasError } from '@supernas/errors';

/** A backend that was asked for is not registered, or failed to initialise on this device. */
export class BackendUnavailableError extends SupernasError {
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly available: readonly string[],
  ) {
    super(
      `backend ${formatValue(backend)} is not available on this device: ${reason}; available: ${
        available.length === 0 ? 'none' : available.join(', ')
      }`,
      { code: 'backend_unavailable' },
    );
  }
}

/** A run file is missing, unreadable or not in the format the evaluator reads. */
export class RunArtifactError extends SupernasError {
  constructor(
    readonly path: string,
    message: string,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`${path}: ${message}`, { code: 'run_artifact_invalid', cause: options.cause });
  }
}

/** An option of an evaluator call is out of range (a budget, a number of runs, ...). */
export class EvaluatorOptionError extends SupernasError {
  constructor(
    readonly option: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${option} is ${formatValue(value)}, expected ${expected}`, {
      code: 'evaluator_option_invalid',
    });
  }
}

/** No candidate fits the budget a search was given. */
export class NoArchWithinBudgetError extends SupernasError {
  constructor(
    readonly budget: string,
    readonly cheapest: number,
  ) {
    super(`no subnet fits ${budget}; the cheapest candidate needs ${formatValue(cheapest)}`, {
      code: 'no_arch_within_budget',
    });
  }
}
