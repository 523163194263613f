import { SupernasError } from '@supernas/errors';

/** The arch fields a validator can blame, plus `arch` for the object as a whole. */
export type ArchField = 'arch' | 'resolution' | 'width' | 'depth' | 'kernelSize' | 'expandRatio';

export interface InvalidArchDetails {
  readonly field: ArchField;
  /** Index into the field's array (for `width`, 0 is the first conv); undefined for scalars. */
  readonly stage?: number | undefined;
  /** Human name of that position: a stage name, `first conv` or `last conv`. */
  readonly stageName?: string | undefined;
  readonly value: unknown;
  /** The values the space allows at that position, when the problem is a bad choice. */
  readonly allowed?: readonly number[] | undefined;
}

/**
 * An arch that does not fit its search space or is not shaped like an `ArchConfig`. It carries
 * the offending field, position and value so callers (CLI, web app) can point at the problem.
 * Code `invalid_arch`.
 */
export class InvalidArchError extends SupernasError {
  override readonly name = 'InvalidArchError';
  readonly field: ArchField;
  readonly stage: number | undefined;
  readonly stageName: string | undefined;
  readonly value: unknown;
  readonly allowed: readonly number[] | undefined;

  constructor(problem: string, details: InvalidArchDetails) {
    super(`Invalid arch: ${problem}`, { code: 'invalid_arch' });
    this.field = details.field;
    this.stage = details.stage;
    this.stageName = details.stageName;
    this.value = details.value;
    this.allowed = details.allowed;
  }
}
