import { describe, expect, it } from 'vitest';
import { describeAdapter, probeWebgpu, webgpuFailureReason } from './probe-webgpu.js';

describe('probeWebgpu', () => {
  it('finds an adapter or says in one line why not', async () => {
    const probe = await probeWebgpu();
    if (probe.found) {
      expect(typeof probe.isFallbackAdapter).toBe('boolean');
      expect(describeAdapter(probe.adapter).length).toBeGreaterThan(0);
    } else {
      expect(probe.reason).toMatch(/\S/);
      expect(probe.reason).not.toContain('\n');
    }
  });
});

describe('webgpuFailureReason', () => {
  it("names the missing Vulkan library from Dawn's warning", () => {
    const stderr =
      "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n    at operator() (BackendVk.cpp:368)\n";
    expect(webgpuFailureReason(stderr)).toBe(
      'Dawn could not load Vulkan (libvulkan.so.1 is missing)',
    );
  });

  it('falls back to a generic reason', () => {
    expect(webgpuFailureReason('error: XDG_RUNTIME_DIR is invalid')).toBe(
      'Dawn found no WebGPU adapter',
    );
  });
});

describe('describeAdapter', () => {
  it('joins vendor and architecture and adds the description', () => {
    expect(
      describeAdapter({
        vendor: 'google',
        architecture: 'swiftshader',
        description: 'SwiftShader driver 5.0.0',
      }),
    ).toBe('google swiftshader (SwiftShader driver 5.0.0)');
  });
});
