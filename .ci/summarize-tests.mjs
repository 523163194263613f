// Prints one closing line, `tests: N passed, N failed, N skipped`, summed over every vitest run
// in a `pnpm test` log (turbo prefixes each package's lines), so a reader of CI's output gets the
// whole count at the end instead of one package's.
import { readFileSync } from 'node:fs';

// Colour codes (ESC [ ... m) out first.
const colour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const log = readFileSync(process.argv[2], 'utf8').replace(colour, '');
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const line of log.split('\n')) {
  const summary = /\bTests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (summary === null) continue;
  for (const [, count, kind] of summary[1].matchAll(/(\d+) (passed|failed|skipped)/g)) {
    totals[kind] += Number(count);
  }
}
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
