import { describe, expect, it } from 'vitest';
import { nativeUnavailableReason } from './enable-native-backend.js';
import { nativeVersion } from './native-version.js';

describe('nativeVersion', () => {
  it('reports the oneDNN version, ISA and threads when the addon loads, else nothing', () => {
    const version = nativeVersion();
    if (nativeUnavailableReason() !== undefined) {
      expect(version).toBeUndefined();
      return;
    }
    expect(version?.onednn).toMatch(/^\d+\.\d+\.\d+$/);
    expect(version?.isa).toMatch(/^[a-z0-9_]+$/);
    expect(version?.threads).toBeGreaterThanOrEqual(1);
    expect(typeof version?.cpuRuntime).toBe('string');
  });
});
