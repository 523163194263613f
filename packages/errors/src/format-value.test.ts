import { describe, expect, it } from 'vitest';
import { expectedMessage, formatValue } from './format-value.js';

describe('formatValue', () => {
  it('shows scalars as themselves and quotes strings', () => {
    expect(formatValue(9)).toBe('9');
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(null)).toBe('null');
    expect(formatValue(undefined)).toBe('undefined');
    expect(formatValue('3')).toBe("'3'");
    expect(formatValue(12n)).toBe('12');
  });

  it('shows arrays and objects as JSON, keeping non-finite numbers readable', () => {
    expect(formatValue([1, 2])).toBe('[1,2]');
    expect(formatValue({ depth: [1, Number.NaN] })).toBe('{"depth":[1,NaN]}');
    expect(formatValue([1.5e21, Number.POSITIVE_INFINITY, null])).toBe('[1.5e+21,Infinity,null]');
    expect(formatValue(new Float32Array([1, 0.5]))).toBe('Float32Array[1,0.5]');
  });

  it('cuts long values short', () => {
    const text = formatValue(Array.from({ length: 500 }, (_, index) => index));
    expect(text.length).toBe(203);
    expect(text.endsWith('...')).toBe(true);
    expect(formatValue('abcdef', 4)).toBe("'abc...");
  });

  it('survives values JSON cannot show', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('[object Object]');
    expect(formatValue(function named() {})).toBe('function named');
  });
});

describe('expectedMessage', () => {
  it('names the option, what it must be and the value it got', () => {
    expect(expectedMessage('population', 'an integer >= 2', 1.5)).toBe(
      'population must be an integer >= 2, got 1.5',
    );
    expect(expectedMessage('encoder', 'one of ordinal, one-hot', 'x')).toBe(
      "encoder must be one of ordinal, one-hot, got 'x'",
    );
  });
});
