#!/usr/bin/env node
// Prints the compiler or linker flags of the system's Open MPI for binding.gyp:
// `pkg-config ompi-c` first, then the `mpicc` wrapper (`--showme:compile` / `--showme:link`).
//
//   node scripts/mpi-flags.mjs --cflags | --libs | --check
//
// With --check it exits 1 (and says why on stderr) when neither finds an MPI.
import { spawnSync } from 'node:child_process';

function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

export function mpiFlags() {
  const cflags = run('pkg-config', ['--cflags', 'ompi-c']);
  const libs = run('pkg-config', ['--libs', 'ompi-c']);
  if (cflags !== undefined && libs !== undefined)
    return { cflags, libs, source: 'pkg-config ompi-c' };
  const compile = run('mpicc', ['--showme:compile']);
  const link = run('mpicc', ['--showme:link']);
  if (compile !== undefined && link !== undefined)
    return { cflags: compile, libs: link, source: 'mpicc --showme' };
  return undefined;
}

// A library outside the linker's default path must still be found at run time.
function withRpath(libs) {
  const dirs = libs
    .split(/\s+/)
    .filter((flag) => flag.startsWith('-L'))
    .map((flag) => `-Wl,-rpath,${flag.slice(2)}`);
  return [libs, ...dirs].join(' ');
}

const mode = process.argv[2];
const flags = mpiFlags();
if (mode === '--check') {
  if (flags === undefined) {
    console.error(
      'neither `pkg-config --cflags --libs ompi-c` nor `mpicc --showme` found Open MPI',
    );
    process.exit(1);
  }
  console.log(flags.source);
} else if (mode === '--cflags') {
  console.log(flags?.cflags ?? '');
} else if (mode === '--libs') {
  console.log(flags === undefined ? '-lmpi' : withRpath(flags.libs));
} else {
  console.error('usage: mpi-flags.mjs --cflags | --libs | --check');
  process.exit(2);
}
