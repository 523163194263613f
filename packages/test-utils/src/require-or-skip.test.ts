import { afterEach, describe, expect, it, vi } from 'vitest';
import { itRequiring, requiredByEnvironment, requireOrSkip } from './require-or-skip.js';

describe('requiredByEnvironment', () => {
  it('reads a comma-separated list, ignoring case, spaces and empty items', () => {
    expect([...requiredByEnvironment(' Native, torch,,dist ')]).toEqual([
      'native',
      'torch',
      'dist',
    ]);
    expect(requiredByEnvironment('').size).toBe(0);
  });

  it('reads SUPERNAS_REQUIRE by default', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'mpi,sklearn');
    expect([...requiredByEnvironment()]).toEqual(['mpi', 'sklearn']);
    vi.unstubAllEnvs();
  });

  it('rejects an unknown name instead of letting its tests skip', () => {
    expect(() => requiredByEnvironment('native,trch')).toThrow(
      "SUPERNAS_REQUIRE: unknown requirement 'trch'",
    );
  });
});

describe('requireOrSkip', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('runs what is available, required or not', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'torch');
    expect(requireOrSkip('torch', undefined)).toBe(true);
    expect(requireOrSkip('native', undefined)).toBe(true);
  });

  it('skips what is missing and not required', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'native');
    expect(requireOrSkip('torch', 'python3 cannot import torch')).toBe(false);
  });

  it('fails on what is missing but required', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'native,torch');
    expect(() => requireOrSkip('torch', 'python3 cannot import torch')).toThrow(
      "SUPERNAS_REQUIRE includes 'torch', but it is missing here: python3 cannot import torch",
    );
  });
});

let ranRequiring = false;
itRequiring('torch', undefined, 'itRequiring runs a test whose requirement is met', () => {
  ranRequiring = true;
});

describe('itRequiring', () => {
  it('registered the test whose requirement is met, and it ran', () => {
    expect(ranRequiring).toBe(true);
  });

  it('fails when its requirement is missing but required', () => {
    vi.stubEnv('SUPERNAS_REQUIRE', 'chromium');
    expect(() => itRequiring('chromium', 'no /usr/bin/chromium', 'x', () => {})).toThrow(
      "SUPERNAS_REQUIRE includes 'chromium', but it is missing here: no /usr/bin/chromium",
    );
    vi.unstubAllEnvs();
  });
});
