/**
 * Thrown for a sampler configuration, rank result or saved state that cannot be used. Carries
 * the sampler, what was wrong and the offending value.
 */
export class SamplerError extends Error {
  override readonly name = 'SamplerError';

  constructor(
    readonly sampler: string,
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super(`${sampler}: ${argument} must be ${expected}, got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  try {
    const json = JSON.stringify(value);
    return json.length > 200 ? `${json.slice(0, 200)}...` : json;
  } catch {
    return String(value);
  }
}
