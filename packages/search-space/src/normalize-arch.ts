import { formatValue } from '@supernas/errors';
import { type ArchField, InvalidArchError } from './invalid-arch-error.js';
import type { ArchConfig } from './types.js';

/** Our name for each field and the names the reference repos (AttentiveNAS, AlphaNet) use. */
const aliases: [Exclude<ArchField, 'arch'>, readonly string[]][] = [
  ['resolution', ['resolution']],
  ['width', ['width']],
  ['depth', ['depth']],
  ['kernelSize', ['kernelSize', 'kernel_size']],
  ['expandRatio', ['expandRatio', 'expand_ratio']],
];

function readNumber(field: ArchField, value: unknown, index?: number): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const where = index === undefined ? field : `${field}[${index}]`;
  throw new InvalidArchError(`${where} is ${formatValue(value)}, expected a number`, {
    field,
    stage: index,
    value,
  });
}

/**
 * Turns a parsed JSON/YAML object into an `ArchConfig`. Accepts our camelCase keys and the
 * reference repos' snake_case (`kernel_size`, `expand_ratio`) so their published configs (for
 * example the `pareto_models` entries of AttentiveNAS' `eval_attentive_nas_models.yml`) load
 * unchanged; other keys (`model`, `flops`, `acc1`, ...) are ignored. Checks shape and types only:
 * call `validateArch` to check the values against a space.
 */
export function normalizeArch(raw: unknown): ArchConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidArchError(
      `expected an object with resolution, width, depth, kernel_size and expand_ratio, got ${formatValue(raw)}`,
      { field: 'arch', value: raw },
    );
  }
  const record = raw as Record<string, unknown>;
  const found: Partial<Record<ArchField, unknown>> = {};
  for (const [field, names] of aliases) {
    const present = names.filter((name) => record[name] !== undefined);
    if (present.length === 0) {
      throw new InvalidArchError(`${names.join(' / ')} is missing`, { field, value: undefined });
    }
    const [first, second] = present as [string, string | undefined];
    if (second !== undefined && !sameValue(record[first], record[second])) {
      throw new InvalidArchError(
        `${first} (${formatValue(record[first])}) and ${second} (${formatValue(record[second])}) disagree`,
        { field, value: record[second] },
      );
    }
    found[field] = record[first];
  }
  const readList = (field: Exclude<ArchField, 'arch' | 'resolution'>): number[] => {
    const value = found[field];
    if (!Array.isArray(value)) {
      throw new InvalidArchError(
        `${field} is ${formatValue(value)}, expected an array of numbers`,
        {
          field,
          value,
        },
      );
    }
    return value.map((entry, index) => readNumber(field, entry, index));
  };
  return {
    resolution: readNumber('resolution', found.resolution),
    width: readList('width'),
    depth: readList('depth'),
    kernelSize: readList('kernelSize'),
    expandRatio: readList('expandRatio'),
  };
}

// Both spellings of a field must agree; compared as rendered in full, never cut short.
function sameValue(first: unknown, second: unknown): boolean {
  return (
    formatValue(first, Number.POSITIVE_INFINITY) === formatValue(second, Number.POSITIVE_INFINITY)
  );
}
