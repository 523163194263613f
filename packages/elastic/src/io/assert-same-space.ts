import { formatValue } from '@supernas/errors';
import type { SearchSpace } from '@supernas/search-space';
import { CheckpointError } from './checkpoint-error.js';
import { firstDifference } from './space-difference.js';

/** Throws a `CheckpointError` naming where `actual` differs from `expected`. */
export function assertSameSpace(actual: SearchSpace, expected: SearchSpace, caller: string): void {
  const difference = firstDifference(actual, expected);
  if (difference === undefined) return;
  throw new CheckpointError(
    `${caller}: the checkpoint's space '${actual.name}' differs from the expected space '${expected.name}' at ${difference.path}: got ${formatValue(difference.actual)}, expected ${formatValue(difference.expected)}`,
    actual,
    expected,
  );
}
