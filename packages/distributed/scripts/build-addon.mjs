#!/usr/bin/env node
// Builds the Open MPI addon with node-gyp against Node's local headers and the system's MPI
// (never downloads either).
//
//   node scripts/build-addon.mjs           install/build: build, or print why not and exit 0
//   node scripts/build-addon.mjs --strict  build and fail loudly (for developers and CI)
//
// An install must not fail where MPI is missing: the package then still gives the single-process
// `localCollective()`, and `mpiUnavailableReason()` says what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(packageDir, 'build', 'Release', 'supernas_mpi.node');
const strict = process.argv.includes('--strict');
const fix =
  'install Open MPI and a C++ toolchain (apt-get install -y openmpi-bin libopenmpi-dev g++ make), then run `pnpm --filter @supernas/distributed run build:native`';

function giveUp(why, details = '') {
  if (strict) {
    console.error(`@supernas/distributed: cannot build the MPI addon: ${why}\n${details}`);
    process.exit(1);
  }
  console.warn(
    `@supernas/distributed: MPI addon not built (${why}). The package still installs; ` +
      `localCollective() works and mpiUnavailableReason() will report this. For multi-process training, ${fix}.`,
  );
  if (details) console.warn(details);
  process.exit(0);
}

if (process.env.SUPERNAS_MPI_SKIP_BUILD === '1') giveUp('SUPERNAS_MPI_SKIP_BUILD=1');
if (process.platform !== 'linux' && !strict)
  giveUp(`only Linux builds are supported, not ${process.platform}`);

// Node's headers: npm/pnpm's configured nodedir, then the prefix Node runs from (Debian's /usr,
// nvm's install dir), which node-gyp would otherwise try to download.
function findNodeDir() {
  const candidates = [
    process.env.npm_config_nodedir,
    resolve(dirname(process.execPath), '..'),
    '/usr',
    '/usr/local',
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')));
}

function findNodeGyp() {
  const require = createRequire(import.meta.url);
  const candidates = [process.env.npm_config_node_gyp];
  try {
    candidates.push(require.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a dependency; use npm's bundled copy below
  }
  candidates.push(
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
    '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    '/usr/share/nodejs/node-gyp/bin/node-gyp.js',
  );
  return candidates.find((candidate) => candidate?.endsWith('.js') && existsSync(candidate));
}

const nodeDir = findNodeDir();
if (!nodeDir) giveUp("Node's C headers (include/node/node_api.h) were not found locally");
const check = spawnSync(
  process.execPath,
  [join(packageDir, 'scripts', 'mpi-flags.mjs'), '--check'],
  {
    encoding: 'utf8',
  },
);
if (check.status !== 0) giveUp(`Open MPI was not found: ${check.stderr.trim()}`);
const nodeGyp = findNodeGyp();
if (!nodeGyp) giveUp('node-gyp was not found (it ships with npm)');

// configure + build rather than rebuild: an incremental build keeps the previous addon in place
// until the new one links, so processes using it are not left without it.
for (const step of [['configure'], ['build', '--jobs=max']]) {
  const result = spawnSync(process.execPath, [nodeGyp, ...step, `--nodedir=${nodeDir}`], {
    cwd: packageDir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_nodedir: nodeDir },
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`
      .trim()
      .split('\n')
      .slice(-25)
      .join('\n');
    giveUp(`node-gyp ${step[0]} failed`, output);
  }
}
console.log(`@supernas/distributed: built ${addon} against ${check.stdout.trim()}`);
