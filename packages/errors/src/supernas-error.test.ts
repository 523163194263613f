import { describe, expect, it } from 'vitest';
import { SupernasError } from './supernas-error.js';

class ExampleError extends SupernasError {
  constructor(readonly value: number) {
    super(`example: value must be positive, got ${value}`, { code: 'example_invalid' });
  }
}

describe('SupernasError', () => {
  it('carries a stable code, the subclass name and the cause', () => {
    const cause = new Error('EACCES');
    const error = new SupernasError('cannot write run.json', { code: 'run_dir', cause });
    expect(error.code).toBe('run_dir');
    expect(error.name).toBe('SupernasError');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('cannot write run.json');
    const example = new ExampleError(-1);
    expect(example.name).toBe('ExampleError');
    expect(example.value).toBe(-1);
    expect(example).toBeInstanceOf(Error);
  });

  it('recognises errors of any copy of the package through the marker', () => {
    expect(SupernasError.isInstance(new ExampleError(-2))).toBe(true);
    // A copy of the class from another bundle: same marker, different constructor.
    const foreign = Object.assign(new Error('other copy'), {
      [Symbol.for('supernas.error')]: true,
      code: 'example_invalid',
    });
    expect(foreign instanceof SupernasError).toBe(false);
    expect(SupernasError.isInstance(foreign)).toBe(true);
    expect(SupernasError.hasCode(foreign, 'example_invalid')).toBe(true);
    expect(SupernasError.hasCode(foreign, 'other')).toBe(false);
  });

  it('rejects plain errors and non-errors', () => {
    expect(SupernasError.isInstance(new Error('bug'))).toBe(false);
    expect(SupernasError.isInstance(undefined)).toBe(false);
    expect(SupernasError.isInstance('supernas.error')).toBe(false);
    expect(SupernasError.isInstance({ [Symbol.for('supernas.error')]: 'yes' })).toBe(false);
  });
});
