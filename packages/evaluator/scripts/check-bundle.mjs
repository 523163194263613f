// Bundles the package for the browser as an app would (tfjs left out: it is a peer), fails on
// any Node built-in in the bundle, and prints the minified + gzipped size against the budget.
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const budgetBytes = 30 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const offenders = [];

const entries = {
  index: 'src/index.ts',
  'search-worker': 'src/search-worker.ts',
  supernet: 'src/supernet-runner.ts',
};
let failed = false;
for (const [name, entry] of Object.entries(entries)) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    external: ['@tensorflow/*'],
    plugins: [
      {
        name: 'forbid-node',
        setup(context) {
          // Any Node built-in reached counts, even behind a dynamic import in code that
          // tree-shaking drops: esbuild drops it, but Vite (Rollup) still loads the module and
          // fails the app's build on it.
          context.onResolve({ filter: /.*/ }, (args) => {
            if (!nodeBuiltins.has(args.path)) return undefined;
            offenders.push(
              `${args.path} imported by ${args.importer.replace(/^.*\/packages\//, 'packages/')}`,
            );
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs)[0][1].inputs;
  const heaviest = Object.entries(inputs)
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
    .slice(0, 5)
    .map(
      ([path, info]) =>
        `${path.replace(/^.*node_modules\//, '')} ${(info.bytesInOutput / 1024).toFixed(1)} KB`,
    );
  const verdict = gzipped <= budgetBytes ? 'ok' : 'OVER BUDGET';
  console.log(
    `${name}: ${(code.length / 1024).toFixed(1)} KB min, ${(gzipped / 1024).toFixed(1)} KB min+gzip (budget ${budgetBytes / 1024} KB, tfjs excluded): ${verdict}`,
  );
  console.log(`  largest inputs: ${heaviest.join(', ')}`);
  if (gzipped > budgetBytes) failed = true;
}
if (offenders.length > 0) {
  console.error(`Node built-ins in the browser bundle:\n  ${[...new Set(offenders)].join('\n  ')}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
