/**
 * The first place where two JSON-like values differ, as a path such as `stages[2].widths`
 * with both values, or `undefined` when they are equal. Used to say *where* a checkpoint's
 * space differs from the expected one, not just that it does.
 */
export function firstDifference(
  actual: unknown,
  expected: unknown,
  path = '',
): { path: string; actual: unknown; expected: unknown } | undefined {
  if (Object.is(actual, expected)) return undefined;
  const here = { path: path === '' ? '(root)' : path, actual, expected };
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return here;
    for (let index = 0; index < actual.length; index++) {
      const found = firstDifference(actual[index], expected[index], `${path}[${index}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (
    isRecord(actual) &&
    isRecord(expected) &&
    !Array.isArray(actual) &&
    !Array.isArray(expected)
  ) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      const found = firstDifference(
        actual[key],
        expected[key],
        path === '' ? key : `${path}.${key}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return here;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
