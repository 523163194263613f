/** A search-space name that is not one of the presets. */
export class UnknownSearchSpaceError extends Error {
  readonly value: string;
  readonly known: readonly string[];

  constructor(value: string, known: readonly string[]) {
    super(`Unknown search space "${value}", expected one of ${known.join(', ')}`);
    this.name = 'UnknownSearchSpaceError';
    this.value = value;
    this.known = known;
  }
}
