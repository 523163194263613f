import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../cli-io.js';
import { runCli } from '../program.js';

const a0Yaml = `# AttentiveNAS-A0, as in the reference eval config
model: "attentive_nas_a0"
resolution: 192
width: [16, 16, 24, 32, 64, 112, 192, 216, 1792]
kernel_size: [3, 3, 3, 3, 3, 3, 3]
expand_ratio: [1, 4, 4, 4, 4, 6, 6]
depth: [1, 3, 3, 3, 3, 3, 1]
`;

const a0Camel = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 3, 3, 3, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};

let folder = '';
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'supernas-flops-'));
  await writeFile(join(folder, 'a0.yaml'), a0Yaml);
  await writeFile(join(folder, 'a0.json'), JSON.stringify(a0Camel));
  await writeFile(
    join(folder, 'bad-depth.json'),
    JSON.stringify({ ...a0Camel, depth: [1, 3, 3, 9, 3, 3, 1] }),
  );
  await writeFile(join(folder, 'broken.json'), '{"resolution": 192,');
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function run(args: string[]) {
  const io = captureIo();
  const code = await runCli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('supernas flops', () => {
  it('prints the reference numbers for A0 from a snake_case YAML file as a JSON last line', async () => {
    const result = await run([
      'flops',
      '--space',
      'attentivenas',
      '--arch',
      join(folder, 'a0.yaml'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const last = result.out.trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ flops: 203_389_568, mflops: 203.389568, params: 9_064_648 });
  });

  it('reads camelCase JSON and prints text, with a per-stage breakdown on request', async () => {
    const result = await run([
      'flops',
      '--space',
      'attentivenas',
      '--arch',
      join(folder, 'a0.json'),
      '--breakdown',
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('MFLOPs  203.39');
    expect(result.out).toContain('params  9,064,648 (8,954,184 without idle shortcut convs)');
    expect(result.out).toMatch(/^first_conv +3\.98 +464$/m);
    expect(result.out).toMatch(/^head +/m);
  });

  it('counts with another class count', async () => {
    const result = await run([
      'flops',
      '--space',
      'attentivenas',
      '--arch',
      join(folder, 'a0.json'),
      '--num-classes',
      '10',
      '--json',
    ]);
    expect(JSON.parse(result.out.trim()).flops).toBe(203_389_568 - 1792 * 990);
  });

  it('exits non-zero with the InvalidArchError message and no stack', async () => {
    const result = await run([
      'flops',
      '--space',
      'attentivenas',
      '--arch',
      join(folder, 'bad-depth.json'),
    ]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'error: Invalid arch: depth of stage 3 (mb4) is 9, expected one of 3, 4, 5, 6\n',
    );
    expect(result.out).toBe('');
  });

  it('rejects an arch from another space', async () => {
    const result = await run(['flops', '--space', 'tiny', '--arch', join(folder, 'a0.json')]);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'error: Invalid arch: width has 9 entries, expected 6 (first conv, one per stage, last conv)\n',
    );
  });

  it('names a missing or unparsable file', async () => {
    const missing = await run(['flops', '--space', 'tiny', '--arch', join(folder, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toBe(
      `error: Cannot read arch file ${join(folder, 'nope.json')}: no such file\n`,
    );
    const broken = await run(['flops', '--space', 'tiny', '--arch', join(folder, 'broken.json')]);
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/^error: Cannot parse arch file .*broken\.json: /);
  });
});
