/** The longest rendering `formatValue` returns before it cuts the value short. */
export const formatValueMaxLength = 200;

/**
 * How a bad value shows in an error message, the same in every package: numbers, booleans,
 * `null` and `undefined` as themselves, strings quoted, arrays and objects as JSON (non-finite
 * numbers inside them kept as `NaN` / `Infinity`, not JSON's `null`), cut to a readable length.
 */
export function formatValue(value: unknown, maxLength = formatValueMaxLength): string {
  const text = render(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}...` : text;
}

// JSON has no NaN or Infinity: they travel through stringify as marked strings, then lose the quotes.
const nonFinite = '~supernas-non-finite~';
const nonFinitePattern = new RegExp(`"${nonFinite}(.*?)${nonFinite}"`, 'g');

function render(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    typeof value === 'bigint' ||
    value == null
  ) {
    return String(value);
  }
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol') return value.toString();
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const items = Array.from(value as unknown as ArrayLike<number>, (item) => String(item));
    return `${value.constructor.name}[${items.join(',')}]`;
  }
  try {
    const json = JSON.stringify(value, (_key, item) =>
      typeof item === 'number' && !Number.isFinite(item) ? `${nonFinite}${item}${nonFinite}` : item,
    );
    if (json === undefined) return String(value);
    return json.replace(nonFinitePattern, '$1');
  } catch {
    return String(value);
  }
}

/** `<what> must be <expected>, got <value>`: the one sentence shape of an option error. */
export function expectedMessage(what: string, expected: string, value: unknown): string {
  return `${what} must be ${expected}, got ${formatValue(value)}`;
}
