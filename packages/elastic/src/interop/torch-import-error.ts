import { SupernasError } from '@supernas/errors';

/**
 * What is wrong: the dump's format, a key, a shape, the bytes, the space, or (`checkpoint`) the
 * converter refused the PyTorch checkpoint itself.
 */
export type TorchImportProblem =
  | 'format'
  | 'missing'
  | 'unexpected'
  | 'shape'
  | 'data'
  | 'space'
  | 'checkpoint';

/**
 * A PyTorch dump does not fit the supernet it should become. Carries the offending key (a
 * PyTorch state_dict name) and, for shape problems, both shapes. Code `torch_import`; `problem`
 * says which check failed.
 */
export class TorchImportError extends SupernasError {
  override readonly name = 'TorchImportError';
  readonly problem: TorchImportProblem;
  readonly key: string | undefined;
  readonly expected: unknown;
  readonly actual: unknown;

  constructor(
    problem: TorchImportProblem,
    message: string,
    details: { key?: string; expected?: unknown; actual?: unknown; cause?: unknown } = {},
  ) {
    super(`importTorchDump: ${message}`, { code: 'torch_import', cause: details.cause });
    this.problem = problem;
    this.key = details.key;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}
