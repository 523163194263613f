// Node module hooks that let tfjs-core's own jasmine specs (shipped as ESM in
// @tensorflow/tfjs-core/dist, with extensionless imports, in a package that is not
// "type": "module") run in Node against the same tfjs-core instance our backend registers with:
// every import of tfjs-core or tfjs-backend-cpu, bare or relative, resolves to their ESM dist.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const packageDirs = Object.fromEntries(
  ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu'].map((name) => [
    name,
    dirname(require.resolve(`${name}/package.json`)),
  ]),
);
const esmDirs = Object.values(packageDirs).map((dir) => `${pathToFileURL(join(dir, 'dist'))}/`);
// jasmine_util.js calls require('jasmine-core/...'), which tfjs-core does not depend on.
const jasmineMain = pathToFileURL(require.resolve('jasmine')).href;

function isTfjsEsm(url) {
  return esmDirs.some((dir) => url.startsWith(dir)) && !/\/tf-[\w-]+\.(node|es2017)/.test(url);
}

function withExtension(path) {
  for (const candidate of [path, `${path}.js`, join(path, 'index.js')]) {
    if (existsSync(candidate) && (candidate !== path || path.endsWith('.js'))) return candidate;
  }
  return undefined;
}

export async function resolve(specifier, context, nextResolve) {
  for (const [name, dir] of Object.entries(packageDirs)) {
    if (specifier === name) {
      return { url: pathToFileURL(join(dir, 'dist', 'index.js')).href, shortCircuit: true };
    }
    if (specifier.startsWith(`${name}/dist/`)) {
      const file = withExtension(join(dir, specifier.slice(name.length + 1)));
      if (file !== undefined) return { url: pathToFileURL(file).href, shortCircuit: true };
    }
  }
  if (specifier.startsWith('.') && context.parentURL && isTfjsEsm(context.parentURL)) {
    const file = withExtension(fileURLToPath(new URL(specifier, context.parentURL)));
    if (file !== undefined) return { url: pathToFileURL(file).href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!isTfjsEsm(url)) return nextLoad(url, context);
  let source = readFileSync(fileURLToPath(url), 'utf8');
  // seedrandom is CommonJS: its generators hang off the default export, not named exports.
  source = source.replace(
    "import * as seedrandom from 'seedrandom';",
    "import seedrandom from 'seedrandom';",
  );
  if (/\brequire\(/.test(source)) {
    source = `import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(${JSON.stringify(jasmineMain)});\n${source}`;
  }
  return { format: 'module', source, shortCircuit: true };
}
