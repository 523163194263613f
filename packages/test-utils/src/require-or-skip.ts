import { describe, it } from 'vitest';

/**
 * What a test can need from the machine. CI names the ones it installs in `SUPERNAS_REQUIRE`
 * (comma-separated), which turns "skip when missing" into a failure for them.
 */
export const knownRequirements = [
  'native',
  'wasm',
  'torch',
  'sklearn',
  'chromium',
  'webgpu',
  'mpi',
  'fashion-mnist',
  'dist',
] as const;

export type Requirement = (typeof knownRequirements)[number];

function isRequirement(name: string): name is Requirement {
  return (knownRequirements as readonly string[]).includes(name);
}

/** The requirements named in `value` (by default `SUPERNAS_REQUIRE`); an unknown name throws. */
export function requiredByEnvironment(
  value: string | undefined = process.env.SUPERNAS_REQUIRE,
): Set<Requirement> {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  for (const name of names) {
    // A typo would otherwise quietly let the tests it meant to force skip again.
    if (!isRequirement(name)) {
      throw new Error(
        `SUPERNAS_REQUIRE: unknown requirement '${name}'; expected a comma-separated list of ${knownRequirements.join(', ')}`,
      );
    }
  }
  return new Set(names as Requirement[]);
}

/**
 * Whether tests that need `requirement` should run: true when it is available (`missingReason`
 * undefined), false when it is missing and may be skipped, and a thrown error when it is missing
 * but `SUPERNAS_REQUIRE` names it, so CI cannot pass by skipping.
 */
export function requireOrSkip(
  requirement: Requirement,
  missingReason: string | undefined,
): boolean {
  if (missingReason === undefined) return true;
  if (requiredByEnvironment().has(requirement)) {
    throw new Error(
      `SUPERNAS_REQUIRE includes '${requirement}', but it is missing here: ${missingReason}`,
    );
  }
  return false;
}

/**
 * `describe` for tests that need `requirement`: runs where it is available, is a visible skip
 * that says why where it is not, and fails where it is missing but required.
 */
export function describeRequiring(
  requirement: Requirement,
  missingReason: string | undefined,
  name: string,
  body: () => void,
): void {
  if (requireOrSkip(requirement, missingReason)) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: ${missingReason})`, body);
  }
}

/** `it` for one test that needs `requirement`, with `describeRequiring`'s skip and failure. */
export function itRequiring(
  requirement: Requirement,
  missingReason: string | undefined,
  name: string,
  body: () => unknown,
): void {
  if (requireOrSkip(requirement, missingReason)) {
    it(name, async () => {
      await body();
    });
  } else {
    it.skip(`${name} (skipped: ${missingReason})`, async () => {
      await body();
    });
  }
}
