#!/usr/bin/env node
import { existsSync } from 'node:fs';
// Runs tfjs-core 4.22's own kernel tests (the jasmine specs it ships in dist/) on the `native`
// backend, for the ops whose kernels native replaces, as tfjs-backend-wasm runs them for wasm in
// its setup_test.ts. Needs the built package (dist/) and the addon; without the addon it says
// why and exits 0, unless SUPERNAS_REQUIRE names `native`.
import { register } from 'node:module';
import { excludes, kernelSpecs } from './spec-list.mjs';

register('./loader.mjs', import.meta.url);

if (!existsSync(new URL('../../dist/index.js', import.meta.url))) {
  console.error('tfjs-core kernel tests: dist/ is missing; run pnpm build first');
  process.exit(1);
}
const { default: Jasmine } = await import('jasmine');
const { enableNativeBackend, getNativeKernelStats, isNativeAvailable, nativeUnavailableReason } =
  await import('../../dist/index.js');

if (!isNativeAvailable()) {
  const required = (process.env.SUPERNAS_REQUIRE ?? '').split(',').map((name) => name.trim());
  const why = `tfjs-core kernel tests on native: skipped, ${nativeUnavailableReason()}`;
  if (required.includes('native')) {
    console.error(`${why}, but SUPERNAS_REQUIRE includes 'native'`);
    process.exit(1);
  }
  console.warn(why);
  process.exit(0);
}

const runner = new Jasmine();
runner.exitOnCompletion = false;
runner.randomizeTests(false);
// Failures in full and one summary line, instead of a dot per spec.
const counts = { passed: 0, failed: 0, excluded: 0 };
runner.clearReporters();
runner.addReporter({
  specDone: (spec) => {
    if (spec.status === 'failed') {
      counts.failed++;
      console.error(`FAIL ${spec.fullName}`);
      for (const failure of spec.failedExpectations) console.error(`  ${failure.message}`);
    } else if (spec.status === 'passed') {
      counts.passed++;
    } else {
      counts.excluded++;
    }
  },
});
runner.jasmine.DEFAULT_TIMEOUT_INTERVAL = 20_000;

// One tfjs-core instance (the ESM dist the specs import; the loader points ours at it too).
await import('@tensorflow/tfjs-core/dist/register_all_gradients');
await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
await import('@tensorflow/tfjs-backend-cpu');
const { nativeKernels } = enableNativeBackend();
// A kernel added to the native backend must name the tfjs-core specs that test it.
const unlisted = nativeKernels.filter(
  (kernelName) => !kernelName.startsWith('Supernas') && !(kernelName in kernelSpecs),
);
if (unlisted.length > 0) {
  console.error(`tfjs-core kernel tests: no spec files listed for ${unlisted.join(', ')}`);
  process.exit(1);
}
const specFiles = [
  ...new Set(nativeKernels.flatMap((kernelName) => kernelSpecs[kernelName] ?? [])),
];
const jasmineUtil = await import('@tensorflow/tfjs-core/dist/jasmine_util');
jasmineUtil.setTestEnvs([{ name: 'native', backendName: 'native', flags: {}, isDataSync: true }]);
// Every suite of the listed files runs, except tests whose names contain an excluded string.
const env = runner.env;
const previousFilter = env.configuration().specFilter;
env.configure({
  specFilter: (spec) => {
    const name = spec.getFullName();
    return previousFilter(spec) && !excludes.some(([part]) => name.includes(part));
  },
});
for (const file of specFiles) await import(`@tensorflow/tfjs-core/dist/${file}`);

console.log(
  `tfjs-core specs of ${specFiles.length} files for ${nativeKernels.length} native kernels; ` +
    `${excludes.length} known differences excluded (test/tfjs-core/spec-list.mjs)`,
);
const result = await runner.execute();
// The specs must have run on our kernels, not on a second tfjs-core's cpu backend.
const nativeCalls = Object.values(getNativeKernelStats().native).reduce((a, b) => a + b, 0);
console.log(
  `${counts.passed} passed, ${counts.failed} failed, ${counts.excluded} excluded; ` +
    `${nativeCalls} calls of native kernels`,
);
if (nativeCalls === 0) {
  console.error('tfjs-core kernel tests: no spec reached a native kernel');
  process.exit(1);
}
process.exit(result.overallStatus === 'passed' ? 0 : 1);
