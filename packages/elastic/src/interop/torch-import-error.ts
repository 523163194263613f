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
 * PyTorch state_dict name) and, for shape problems, both shapes.
 */
export class TorchImportError extends Error {
  readonly problem: TorchImportProblem;
  readonly key: string | undefined;
  readonly expected: unknown;
  readonly actual: unknown;

  constructor(
    problem: TorchImportProblem,
    message: string,
    details: { key?: string; expected?: unknown; actual?: unknown } = {},
  ) {
    super(`importTorchDump: ${message}`);
    this.name = 'TorchImportError';
    this.problem = problem;
    this.key = details.key;
    this.expected = details.expected;
    this.actual = details.actual;
  }
}
