import { SupernasError } from '@supernas/errors';
import { InvalidArchError } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { formatCliError } from './format-cli-error.js';

describe('formatCliError', () => {
  it('prints a supernas error as its message on one line, without a stack', () => {
    const error = new InvalidArchError('depth of stage 1 is 9, expected one of 1, 2', {
      field: 'depth',
      value: 9,
    });
    expect(formatCliError(error)).toBe(
      'error: Invalid arch: depth of stage 1 is 9, expected one of 1, 2\n',
    );
    const multiLine = new SupernasError('cannot parse x.yaml:\n  bad indentation', {
      code: 'example',
    });
    expect(formatCliError(multiLine)).toBe('error: cannot parse x.yaml: bad indentation\n');
  });

  it('prints anything else with its stack, as a bug', () => {
    const bug = new TypeError('undefined is not a function');
    const text = formatCliError(bug);
    expect(text.startsWith('error: TypeError: undefined is not a function\n    at ')).toBe(true);
    expect(formatCliError('thrown string')).toBe('error: thrown string\n');
  });

  it('prints the stack, the code and every cause when verbose', () => {
    const root = new Error('ENOENT: no such file');
    const middle = new SupernasError('cannot read model.json', { code: 'model_file', cause: root });
    const top = new SupernasError('cannot open the run', { code: 'cli_usage', cause: middle });
    const lines = formatCliError(top, true).split('\n');
    expect(lines[0]).toBe('error: SupernasError: cannot open the run');
    expect(lines[1]).toMatch(/^ {4}at /);
    expect(lines).toContain('code: cli_usage');
    expect(lines).toContain('caused by: SupernasError: cannot read model.json');
    expect(lines).toContain('caused by: Error: ENOENT: no such file');
    expect(lines.indexOf('caused by: Error: ENOENT: no such file')).toBeGreaterThan(
      lines.indexOf('caused by: SupernasError: cannot read model.json'),
    );
  });

  it('stops at a cause chain that loops', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    (first as { cause?: unknown }).cause = second;
    const text = formatCliError(second, true);
    expect(text.match(/caused by: /g)).toHaveLength(1);
  });
});
