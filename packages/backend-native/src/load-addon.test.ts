import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath, loadAddonFrom } from './load-addon.js';

describe('loadAddonFrom', () => {
  it('says the addon was not built, and how to build it, when the file is missing', () => {
    const result = loadAddonFrom('/nonexistent/supernas_native.node', {});
    expect(result).toEqual({ reason: expect.stringContaining('was not built') });
    expect('reason' in result && result.reason).toMatch(/apt-get install -y libdnnl-dev/);
  });

  it('says the addon failed to load when the file is not a loadable library', () => {
    const directory = mkdtempSync(join(tmpdir(), 'supernas-native-'));
    const broken = join(directory, 'broken.node');
    writeFileSync(broken, 'not a shared object');
    const result = loadAddonFrom(broken, {});
    expect('reason' in result && result.reason).toMatch(/failed to load .*libdnnl-dev/);
  });

  it('can be disabled through SUPERNAS_NATIVE_DISABLE=1', () => {
    expect(loadAddonFrom(addonPath, { SUPERNAS_NATIVE_DISABLE: '1' })).toEqual({
      reason: 'disabled by SUPERNAS_NATIVE_DISABLE=1',
    });
  });

  it('points at build/Release inside the package', () => {
    expect(addonPath).toMatch(/backend-native\/build\/Release\/supernas_native\.node$/);
  });
});
