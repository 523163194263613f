import { SupernasError } from '@supernas/errors';

// An app's own input errors join the family with a class per concern and a stable code.
class BudgetError extends SupernasError {
  constructor(readonly budget: number) {
    super(`budget must be a positive number of MFLOPs, got ${budget}`, { code: 'invalid_budget' });
  }
}

function runUserJob(budget: number): void {
  if (!(budget > 0)) throw new BudgetError(budget);
}

try {
  runUserJob(-5);
} catch (error) {
  // isInstance works across duplicated copies of a package, where instanceof does not.
  if (SupernasError.isInstance(error)) console.error(`error: ${error.message} [${error.code}]`);
  else throw error;
}
