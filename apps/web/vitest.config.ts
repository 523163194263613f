import { defineConfig } from 'vitest/config';

// The app's tests drive the built app (dist/) in headless Chromium: `pnpm build` first.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 360_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
