import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packagesDir = fileURLToPath(new URL('./packages/', import.meta.url));

// Tests import sibling packages from source, so a test run never needs a prior build.
export const sharedConfig = defineConfig({
  resolve: {
    alias: [
      { find: /^@supernas\/elastic\/node$/, replacement: `${packagesDir}elastic/src/io/node.ts` },
      {
        find: /^@supernas\/distributed\/tfjs$/,
        replacement: `${packagesDir}distributed/src/tfjs/index.ts`,
      },
      { find: /^@supernas\/([a-z-]+)$/, replacement: `${packagesDir}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
