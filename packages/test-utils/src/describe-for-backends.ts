import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { type Requirement, requireOrSkip } from './require-or-skip.js';

/** A backend tests can run on, as tfjs' `registerTestEnv` describes one. */
export interface TestBackend {
  /** The tfjs backend name (`tf.setBackend(name)`). */
  name: string;
  /** What `SUPERNAS_REQUIRE` calls it; the name by default. */
  requirement?: Requirement;
  /** Why the backend cannot run here, or undefined when it can; checked when tests are collected. */
  unavailableReason(): string | undefined;
  /** Registers the backend (imports it, loads an addon); runs once per suite before its tests. */
  setUp(): Promise<void>;
}

const testBackends = new Map<string, TestBackend>();

/** Makes `backend` available to `describeForBackends`; a later registration replaces it. */
export function registerTestBackend(backend: TestBackend): void {
  testBackends.set(backend.name, backend);
}

registerTestBackend({
  name: 'cpu',
  unavailableReason: () => undefined,
  setUp: async () => {
    await import('@tensorflow/tfjs-backend-cpu');
  },
});

registerTestBackend({
  name: 'wasm',
  unavailableReason: () => undefined,
  setUp: async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  },
});

export interface DescribeForBackendsOptions {
  /** Fail a test that ends with more tensors than it started with. Default true. */
  checkLeaks?: boolean;
}

/**
 * Registers `body` once per backend, as `<name> [<backend>]`, in the manner of tfjs'
 * `describeWithFlags`: before the tests the backend is set up and made the active one (failing
 * loudly if tfjs keeps another), and each test must leave `tf.memory().numTensors` as it found
 * it. A backend that cannot load here is a visible skip, or a failure when `SUPERNAS_REQUIRE`
 * names it.
 */
/**
 * Why suites on `backendName` are skipped here (it cannot load and SUPERNAS_REQUIRE does not
 * name it), or undefined when they run; throws when it cannot load but is required.
 */
export function backendSkipReason(backendName: string): string | undefined {
  const backend = testBackends.get(backendName);
  if (backend === undefined) return undefined;
  const missingReason = backend.unavailableReason();
  return requireOrSkip(backend.requirement ?? (backendName as Requirement), missingReason)
    ? undefined
    : missingReason;
}

export function describeForBackends(
  backendNames: readonly string[],
  name: string,
  body: (backendName: string) => void,
  options: DescribeForBackendsOptions = {},
): void {
  const checkLeaks = options.checkLeaks ?? true;
  for (const backendName of backendNames) {
    const backend = testBackends.get(backendName);
    if (backend === undefined) {
      throw new Error(
        `describeForBackends: no test backend '${backendName}' is registered (registered: ${[...testBackends.keys()].join(', ')}); import the test utility that registers it`,
      );
    }
    const title = `${name} [${backendName}]`;
    const skipReason = backendSkipReason(backendName);
    if (skipReason !== undefined) {
      describe.skip(`${title} (skipped: ${skipReason})`, () => body(backendName));
      continue;
    }
    describe(title, () => {
      let tensorsBefore = 0;
      beforeAll(async () => {
        await backend.setUp();
        if (!(await tf.setBackend(backendName)) || tf.getBackend() !== backendName) {
          throw new Error(`describeForBackends: backend '${backendName}' failed to initialize`);
        }
      });
      beforeEach(async () => {
        // A test of the suite may have switched backends (comparisons against cpu).
        if (tf.getBackend() !== backendName) await tf.setBackend(backendName);
        tensorsBefore = tf.memory().numTensors;
      });
      if (checkLeaks) {
        afterEach(() => {
          const leaked = tf.memory().numTensors - tensorsBefore;
          if (leaked !== 0) {
            throw new Error(
              `${title}: the test ended with ${leaked} more tensor(s) than it started with`,
            );
          }
        });
      }
      body(backendName);
    });
  }
}
