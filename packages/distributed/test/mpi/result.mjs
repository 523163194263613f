import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes this rank's result where the test harness (test/mpi-harness.ts) reads it. */
export function writeResult(result) {
  const dir = process.env.SUPERNAS_TEST_OUT;
  if (dir === undefined)
    throw new Error('SUPERNAS_TEST_OUT is not set (run through the test harness)');
  writeFileSync(join(dir, `rank-${result.rank}.json`), JSON.stringify(result));
}
