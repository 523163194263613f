#!/usr/bin/env node
// The package READMEs show the examples' code: each file under src/<package>/ must appear,
// verbatim, in a ```ts block of packages/<package>/README.md. `--write` replaces the block that
// points at a file with the file's current text.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examplesDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(examplesDir, '..', 'packages');
const write = process.argv.includes('--write');

let stale = 0;
for (const packageName of readdirSync(join(examplesDir, 'src'))) {
  const readmePath = join(packagesDir, packageName, 'README.md');
  let readme = readFileSync(readmePath, 'utf8');
  for (const file of readdirSync(join(examplesDir, 'src', packageName))) {
    const relative = `examples/src/${packageName}/${file}`;
    const code = readFileSync(join(examplesDir, 'src', packageName, file), 'utf8');
    const pointer = `From [\`${relative}\`](../../${relative})`;
    const pointerAt = readme.indexOf(pointer);
    if (pointerAt === -1) {
      console.error(`${readmePath}: no pointer to ${relative}`);
      stale++;
      continue;
    }
    // The block the pointer follows.
    const blockEnd = readme.lastIndexOf('```\n', pointerAt);
    const blockStart = readme.lastIndexOf('```ts\n', blockEnd);
    const shown = readme.slice(blockStart + '```ts\n'.length, blockEnd);
    if (shown === code) continue;
    if (write) {
      readme = `${readme.slice(0, blockStart + '```ts\n'.length)}${code}${readme.slice(blockEnd)}`;
      console.log(`updated ${readmePath} from ${relative}`);
    } else {
      console.error(
        `${readmePath} shows other code than ${relative} (run pnpm --filter @supernas/examples readmes:write)`,
      );
      stale++;
    }
  }
  if (write) writeFileSync(readmePath, readme);
}
if (stale > 0) process.exit(1);
