import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFlops } from '@supernas/flops';
import { ridgeRegression } from '@supernas/predictors';
import {
  attentivenasSpace,
  createRng,
  getSearchSpace,
  normalizeArch,
  sampleArch,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { makeTestRun } from '../predictor/test-run.js';
import { runCli } from '../program.js';

const space = getSearchSpace('tiny');
const cheap = ['--holdout-limit', '16'];

async function run(args: readonly string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('supernas search --run', () => {
  let root: string;
  let runDir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    root = await mkdtemp(join(tmpdir(), 'supernas-search-run-'));
    runDir = await makeTestRun(root);
    const build = await run([
      'predictor',
      'build',
      '--run',
      runDir,
      '--samples',
      '6',
      '--fit-samples',
      '3',
      '--predictor',
      'ridge',
      '--noise-archs',
      '0',
      ...cheap,
    ]);
    expect(build.err).not.toMatch(/error/);
    expect(build.out).toContain('evaluation noise: not measured (--noise-archs 0)');
  }, 600_000);

  it("searches with the run's predictor under the budget, writes the front, a chart and the arch, and reports the chosen arch's held-out and test top-1", async () => {
    const result = await run([
      'search',
      '--run',
      runDir,
      '--max-mflops',
      '1.2',
      '--population',
      '8',
      '--generations',
      '2',
      '--eval',
      ...cheap,
    ]);
    expect(result.err).not.toMatch(/error/);
    expect(result.code).toBe(0);
    const out = join(runDir, 'search');
    const arch = JSON.parse(await readFile(join(out, 'arch.json'), 'utf8'));
    const { flops } = countFlops(space, normalizeArch(arch), { numClasses: 10, inputChannels: 1 });
    expect(flops / 1e6).toBeLessThanOrEqual(1.2);
    expect(arch.mflops).toBeCloseTo(flops / 1e6, 9);
    const pareto = JSON.parse(await readFile(join(out, 'pareto.json'), 'utf8'));
    expect(pareto.objective).toMatch(
      /^predicted held-out top-1 \(ridge predictor .*predictor\.json\)$/,
    );
    expect(pareto.numClasses).toBe(10);
    expect(pareto.fronts.mflops.length).toBeGreaterThan(0);
    const svg = await readFile(join(out, 'search-chart.svg'), 'utf8');
    expect(svg).toContain('predicted top-1 (%)');
    expect(svg).toContain('Pareto front');
    expect(existsSync(join(out, 'search-chart.png'))).toBe(true);
    expect(result.out).toMatch(
      /chosen arch: held-out top-1 \d+\.\d\d% \(16 images\), test top-1 \d+\.\d\d% \(32 images\)/,
    );
  }, 600_000);

  it('searches by held-out evaluation with --fitness eval, and compares with random archs under the budget', async () => {
    const out = join(root, 'eval-search');
    const result = await run([
      'search',
      '--run',
      runDir,
      '--out',
      out,
      '--fitness',
      'eval',
      '--max-mflops',
      '1.2',
      '--population',
      '2',
      '--generations',
      '1',
      '--random',
      '2',
      ...cheap,
    ]);
    expect(result.err).not.toMatch(/error/);
    expect(result.code).toBe(0);
    expect(result.err).toMatch(/evaluate \[#+\] 2\/2 held-out top-1 \d+\.\d\d% at \d\.\d\d MFLOPs/);
    const pareto = JSON.parse(await readFile(join(out, 'pareto.json'), 'utf8'));
    expect(pareto.objective).toBe('held-out top-1 (BN-calibrated, 16 held-out images)');
    // Held-out top-1 of 16 images is a multiple of 1/16.
    for (const entry of pareto.fronts.mflops)
      expect((entry.fitness / 100) * 16).toBeCloseTo(Math.round((entry.fitness / 100) * 16), 9);
    expect(result.out).toMatch(/chosen arch: held-out top-1 \d+\.\d\d% \(16 images\), test top-1/);
    expect(result.out).toMatch(
      /best of 2 random: held-out top-1 \d+\.\d\d% at \d\.\d\d MFLOPs, test top-1 \d+\.\d\d%/,
    );
  }, 600_000);

  it('refuses, in one line each: an impossible budget, a predictor of another space, a run without a predictor or a checkpoint', async () => {
    const tight = await run(['search', '--run', runDir, '--max-mflops', '0.01']);
    expect(tight.code).toBe(1);
    expect(tight.err).toMatch(
      /\nerror: no arch of space 'tiny' meets max MFLOPs 0\.01: the smallest arch has 0\.\d\d MFLOPs\n$/,
    );

    const otherDir = await makeTestRun(root, 'other-space');
    const rng = createRng(3);
    const archs = Array.from({ length: 4 }, () => sampleArch(attentivenasSpace, rng));
    const ridge = ridgeRegression({ space: attentivenasSpace });
    // Any fitted predictor of another space: its values do not matter, only its space.
    await ridge.fit(archs, [70, 71, 72, 73]);
    await writeFile(join(otherDir, 'predictor.json'), JSON.stringify(ridge.toJSON()));
    const other = await run(['search', '--run', otherDir, '--max-mflops', '1']);
    expect(other.code).toBe(1);
    expect(other.err).toMatch(
      /\nerror: the predictor was made for space 'attentivenas' and cannot score archs of space 'tiny'\n$/,
    );

    await rm(join(otherDir, 'predictor.json'));
    const none = await run(['search', '--run', otherDir, '--max-mflops', '1']);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(
      /\nerror: .*other-space has no predictor \(.*predictor\.json does not exist\): build one with supernas predictor build --run .* --samples N, or search with --fitness eval\n$/,
    );

    await rm(join(otherDir, 'checkpoint'), { recursive: true });
    const bare = await run(['search', '--run', otherDir, '--max-mflops', '1']);
    expect(bare.code).toBe(1);
    expect(bare.err).toMatch(/^error: Cannot open run .*other-space: .* has no checkpoint .*\n$/);
  }, 600_000);

  it('refuses an arch file of another space for the run, naming what is wrong', async () => {
    const archFile = join(root, 'attentivenas-arch.json');
    await writeFile(archFile, JSON.stringify(sampleArch(attentivenasSpace, createRng(1))));
    const result = await run(['eval', '--run', runDir, '--arch', archFile]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/\nerror: Invalid arch: .*expected .*\n$/);
    expect(result.err.match(/^error:/gm)).toHaveLength(1);
  }, 300_000);
});
