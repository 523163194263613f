import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ridgeRegression } from '@supernas/predictors';
import { attentivenasSpace, createRng, encodeArch, sampleArch } from '@supernas/search-space';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';

async function run(args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

let folder = '';
let predictorPath = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'supernas-search-'));
  // A ridge predictor of a made-up accuracy: quick to fit, and it needs no scikit-learn.
  const rng = createRng(1);
  const archs = Array.from({ length: 200 }, () => sampleArch(attentivenasSpace, rng));
  const accuracies = archs.map((arch) =>
    encodeArch(attentivenasSpace, arch).reduce(
      (sum, value, g) => sum + value * (((g * 7) % 11) - 3),
      70,
    ),
  );
  const ridge = ridgeRegression({ space: attentivenasSpace });
  await ridge.fit(archs, accuracies);
  predictorPath = join(folder, 'predictor.json');
  await writeFile(predictorPath, JSON.stringify(ridge.toJSON()));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const searchArgs = (out: string, generations: number) => [
  'search',
  '--space',
  'attentivenas',
  '--predictor',
  predictorPath,
  '--max-mflops',
  '400',
  '--min-mflops',
  '300',
  '--max-params',
  '9500000',
  '--population',
  '16',
  '--generations',
  String(generations),
  '--out',
  out,
];

describe('supernas search', () => {
  it('writes the chosen arch within the budget, the Pareto fronts and progress', async () => {
    const out = join(folder, 'run');
    const result = await run(searchArgs(out, 3));
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(
      /^generation 0\/3: 16 archs evaluated, best [\d.]+ at [\d.]+ MFLOPs/m,
    );
    expect(result.out).toMatch(/^generation 3\/3: /m);
    expect(result.out).toContain(`wrote ${join(out, 'arch.json')}`);

    const arch = JSON.parse(await readFile(join(out, 'arch.json'), 'utf8'));
    expect(arch).toMatchObject({
      format: 'supernas-arch',
      formatVersion: 1,
      space: 'attentivenas',
    });
    const flops = await run([
      'flops',
      '--space',
      'attentivenas',
      '--arch',
      join(out, 'arch.json'),
      '--json',
    ]);
    const counted = JSON.parse(flops.out);
    expect(counted.mflops).toBeGreaterThanOrEqual(300);
    expect(counted.mflops).toBeLessThanOrEqual(400);
    expect(counted.params).toBeLessThanOrEqual(9_500_000);
    expect(counted.mflops).toBeCloseTo(arch.mflops, 2);

    const pareto = JSON.parse(await readFile(join(out, 'pareto.json'), 'utf8'));
    expect(pareto.format).toBe('supernas-pareto');
    const front: { fitness: number; mflops: number }[] = pareto.fronts.mflops;
    expect(front.length).toBeGreaterThan(0);
    for (let i = 1; i < front.length; i++) {
      expect(front[i]!.mflops).toBeGreaterThanOrEqual(front[i - 1]!.mflops);
      expect(front[i]!.fitness).toBeGreaterThan(front[i - 1]!.fitness);
    }
    expect(front.at(-1)!.fitness).toBe(arch.predictedAccuracy);
  });

  it('resumes from its saved state to the same result as one uninterrupted run', async () => {
    const straight = join(folder, 'straight');
    const interrupted = join(folder, 'interrupted');
    expect((await run(searchArgs(straight, 5))).code).toBe(0);
    expect((await run(searchArgs(interrupted, 2))).code).toBe(0);
    const resumed = await run([...searchArgs(interrupted, 5), '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.out).toContain('resuming after generation 2');
    expect(resumed.out).not.toContain('generation 2/5');
    expect(await readFile(join(interrupted, 'arch.json'), 'utf8')).toBe(
      await readFile(join(straight, 'arch.json'), 'utf8'),
    );
  });

  it('reports a predictor of another space, an impossible budget and a missing budget in one line', async () => {
    const other = await run([
      'search',
      '--space',
      'tiny',
      '--predictor',
      predictorPath,
      '--max-mflops',
      '10',
      '--out',
      join(folder, 'x'),
    ]);
    expect(other.code).toBe(1);
    expect(other.err).toBe(
      "error: the predictor was made for space 'attentivenas' and cannot score archs of space 'tiny'\n",
    );
    const tight = await run([
      'search',
      '--space',
      'attentivenas',
      '--predictor',
      predictorPath,
      '--max-mflops',
      '100',
      '--out',
      join(folder, 'y'),
    ]);
    expect(tight.code).toBe(1);
    expect(tight.err).toBe(
      "error: no arch of space 'attentivenas' meets max MFLOPs 100: the smallest arch has 203.39 MFLOPs\n",
    );
    const none = await run([
      'search',
      '--space',
      'attentivenas',
      '--predictor',
      predictorPath,
      '--out',
      join(folder, 'z'),
    ]);
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/give a budget: --max-mflops/);
  });
});
