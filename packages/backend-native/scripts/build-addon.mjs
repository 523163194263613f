#!/usr/bin/env node
// Builds the oneDNN addon with node-gyp against Node's local headers (never downloads them).
//
//   node scripts/build-addon.mjs           install/build: build (incrementally), or print why not
//                                          and exit 0
//   node scripts/build-addon.mjs --strict  build and fail loudly (for developers and CI)
//
// An install must not fail where oneDNN or a compiler is missing: the package then works
// without its native backend and `isNativeAvailable()` says why.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(packageDir, 'build', 'Release', 'supernas_native.node');
const strict = process.argv.includes('--strict');
const fix =
  'install oneDNN and a C++ toolchain (apt-get install -y libdnnl-dev g++ make), then run `pnpm --filter @supernas/backend-native run build:native`';

function giveUp(why, details = '') {
  if (strict) {
    console.error(`@supernas/backend-native: cannot build the native addon: ${why}\n${details}`);
    process.exit(1);
  }
  console.warn(
    `@supernas/backend-native: native addon not built (${why}). The package still installs; ` +
      `enableNativeBackend() will report this. To get the native backend, ${fix}.`,
  );
  if (details) console.warn(details);
  process.exit(0);
}

if (process.env.SUPERNAS_NATIVE_SKIP_BUILD === '1') giveUp('SUPERNAS_NATIVE_SKIP_BUILD=1');
if (process.platform !== 'linux' && !strict)
  giveUp(`only Linux builds are supported, not ${process.platform}`);

// Node's headers: npm/pnpm's configured nodedir, then the prefix Node runs from (Debian's
// /usr, nvm's install dir), which node-gyp would otherwise try to download.
function findNodeDir() {
  const candidates = [
    process.env.npm_config_nodedir,
    resolve(dirname(process.execPath), '..'),
    '/usr',
    '/usr/local',
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, 'include', 'node', 'node_api.h')));
}

function findOneDnn() {
  const includeDirs = [
    ...(process.env.CPATH ?? '').split(delimiter),
    ...(process.env.CPLUS_INCLUDE_PATH ?? '').split(delimiter),
    '/usr/include',
    '/usr/local/include',
  ].filter(Boolean);
  return includeDirs.find((dir) => existsSync(join(dir, 'oneapi', 'dnnl', 'dnnl.hpp')));
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
if (!findOneDnn()) giveUp('oneDNN headers (oneapi/dnnl/dnnl.hpp) were not found');
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
console.log(`@supernas/backend-native: built ${addon}`);
