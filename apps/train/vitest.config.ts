import { existsSync } from 'node:fs';
import { configDefaults, defineConfig } from 'vitest/config';
import { sharedConfig } from '../../vitest.shared';

const webgpuTest = 'src/webgpu.test.ts';
// Dawn loads libvulkan.so.1, and the Vulkan loader reads these, when the worker starts: where
// the system has no Vulkan loader or driver, use Chromium's loader and SwiftShader ICD (Debian's
// chromium package ships both). A system setting wins.
const chromium = '/usr/lib/chromium';
const swiftshaderIcd = `${chromium}/vk_swiftshader_icd.json`;
const vulkanEnv: Record<string, string> = {
  XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp',
};
if (existsSync(`${chromium}/libvulkan.so.1`)) {
  vulkanEnv.LD_LIBRARY_PATH = [process.env.LD_LIBRARY_PATH, chromium].filter(Boolean).join(':');
}
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshaderIcd)) {
  vulkanEnv.VK_ICD_FILENAMES = swiftshaderIcd;
}

export default defineConfig({
  ...sharedConfig,
  test: {
    ...sharedConfig.test,
    projects: [
      {
        extends: true,
        test: { name: 'train', exclude: [...configDefaults.exclude, webgpuTest] },
      },
      {
        // Its own project, not extending the root (whose include would add every test): the
        // Vulkan environment reaches only this test's worker process.
        resolve: sharedConfig.resolve,
        test: {
          name: 'webgpu',
          include: [webgpuTest],
          pool: 'forks',
          env: vulkanEnv,
          testTimeout: 600_000,
        },
      },
    ],
  },
});
