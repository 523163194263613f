import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupernet, registerGradients, saveSupernet } from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { getSearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { captureIo } from '../src/cli-io.js';
import { runCli } from '../src/program.js';
import { parseTrainConfig } from '../src/train/config.js';

// Random malformed inputs to the CLI's parsers (configs, arch files, checkpoints): each must end
// as an `error:` report and exit 1, never a stack trace, never a hang.
const expectErrorReport = (code: number, stderr: string) => {
  expect(code, stderr).toBe(1);
  // Progress lines (the backend) may come first; the report is the last line.
  expect(stderr, stderr).toMatch(/(^|\n)error: \S[^\n]*\n$/);
  // A stack frame means an error the CLI did not expect: a bug.
  expect(stderr, stderr).not.toMatch(/^\s+at /m);
};

const validConfig = {
  space: 'tiny',
  backend: 'cpu',
  data: { trainLimit: 64, testLimit: 32, batchSize: 32 },
  training: { steps: 1, checkpointEvery: 1 },
  evaluation: { calibrationBatches: 1, calibrationBatchSize: 32, middleArchs: 0, batchSize: 32 },
};

/** A JSON-ish value: sometimes the right shape with one key replaced, sometimes anything. */
const malformedConfig = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc
    .tuple(
      fc.constantFrom(
        'space',
        'seed',
        'backend',
        'data',
        'training',
        'sampler',
        'evaluation',
        'distillation',
        'extra',
      ),
      fc.constantFrom(
        'batchSize',
        'steps',
        'baseLr',
        'kind',
        'checkpointEvery',
        'trainLimit',
        'dataset',
        'x',
      ),
      fc.oneof(
        fc.anything({ maxDepth: 1 }),
        fc.double(),
        fc.integer({ min: -5, max: 5 }),
        fc.string(),
      ),
      fc.boolean(),
    )
    .map(([section, key, value, nested]) => ({
      ...validConfig,
      [section]: nested
        ? {
            ...((validConfig as Record<string, unknown>)[section] as object | undefined),
            [key]: value,
          }
        : value,
    })),
);

const isValidConfig = (value: unknown) => {
  try {
    parseTrainConfig(value);
    return true;
  } catch {
    return false;
  }
};

/** What the config reader would validate, or a marker that fails validation when unparsable. */
const parseLeniently = (text: string, asYaml: boolean): unknown => {
  try {
    return asYaml ? parseYaml(text) : JSON.parse(text);
  } catch {
    return { unparsable: true };
  }
};

describe('the CLI parsers on random malformed input', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'supernas-property-'));
  });

  it('train --config: malformed JSON and YAML configs end in an error report', async () => {
    let index = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          malformedConfig.map((value) => ({ value })),
          fc.string({ maxLength: 80 }).map((text) => ({ text })),
        ),
        fc.boolean(),
        async (input, asYaml) => {
          const path = join(root, `config-${index++}.${asYaml ? 'yaml' : 'json'}`);
          const text =
            'text' in input
              ? input.text
              : asYaml
                ? toYaml(input.value ?? null)
                : (JSON.stringify(input.value) ?? 'undefined');
          // What the file says may still be a valid config (an empty file is the default job):
          // never train it.
          fc.pre(!isValidConfig(parseLeniently(text, asYaml)));
          await writeFile(path, text);
          const io = captureIo();
          const code = await runCli(
            ['train', '--config', path, '--run-dir', join(root, 'never')],
            io,
          );
          expectErrorReport(code, io.err());
        },
      ),
      { numRuns: 60, seed: 15 },
    );
  });

  it('flops --arch: malformed arch files end in an error report', async () => {
    let index = 0;
    const arch = fc.record(
      {
        resolution: fc.oneof(fc.constantFrom(24, 28), fc.anything({ maxDepth: 0 })),
        width: fc.oneof(
          fc.array(fc.integer({ min: -1, max: 200 }), { maxLength: 8 }),
          fc.anything({ maxDepth: 1 }),
        ),
        depth: fc.oneof(
          fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 6 }),
          fc.anything({ maxDepth: 1 }),
        ),
        kernel_size: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 6 }),
        expandRatio: fc.oneof(fc.array(fc.double(), { maxLength: 6 }), fc.string()),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(arch, fc.anything({ maxDepth: 2 })),
        fc.boolean(),
        async (value, asYaml) => {
          const path = join(root, `arch-${index++}.${asYaml ? 'yaml' : 'json'}`);
          await writeFile(path, asYaml ? toYaml(value ?? null) : (JSON.stringify(value) ?? 'x'));
          const io = captureIo();
          const code = await runCli(['flops', '--space', 'tiny', '--arch', path, '--json'], io);
          if (code !== 0) expectErrorReport(code, io.err());
        },
      ),
      { numRuns: 80, seed: 15 },
    );
  });

  describe('eval --run on corrupted checkpoints', () => {
    let runDir: string;
    let model: Buffer;
    let weightsFile: string;
    let weights: Buffer;
    beforeAll(async () => {
      await tf.setBackend('cpu');
      await registerGradients();
      runDir = join(root, 'run');
      await mkdir(runDir);
      await writeFile(join(runDir, 'config.json'), JSON.stringify(parseTrainConfig(validConfig)));
      const supernet = createSupernet(getSearchSpace('tiny'), {
        numClasses: 10,
        inputChannels: 1,
        seed: 0,
      });
      await saveSupernet(supernet, fileSystemHandler(join(runDir, 'checkpoint')), { step: 1 });
      supernet.dispose();
      model = await readFile(join(runDir, 'checkpoint', 'model.json'));
      weightsFile = (await readdir(join(runDir, 'checkpoint'))).find((file) =>
        file.endsWith('.bin'),
      )!;
      weights = await readFile(join(runDir, 'checkpoint', weightsFile));
    }, 60_000);

    const corruption = fc.record({
      target: fc.constantFrom('model', 'weights'),
      kind: fc.constantFrom('flip', 'truncate', 'replace'),
      position: fc.double({ min: 0, max: 1, noNaN: true }),
      byte: fc.integer({ min: 1, max: 255 }),
      text: fc.string({ maxLength: 20 }),
    });

    it('any changed byte, cut or junk ends in an error report naming the file', async () => {
      await fc.assert(
        fc.asyncProperty(corruption, async ({ target, kind, position, byte, text }) => {
          const original = target === 'model' ? model : weights;
          const at = Math.min(original.length - 1, Math.floor(position * original.length));
          let bytes: Buffer;
          if (kind === 'flip') {
            bytes = Buffer.from(original);
            bytes[at] = (bytes[at] ?? 0) ^ byte;
          } else if (kind === 'truncate') {
            bytes = original.subarray(0, at);
          } else {
            bytes = Buffer.concat([
              original.subarray(0, at),
              Buffer.from(text),
              original.subarray(at + text.length),
            ]);
          }
          const path = join(runDir, 'checkpoint', target === 'model' ? 'model.json' : weightsFile);
          await writeFile(path, bytes);
          try {
            const io = captureIo();
            const code = await runCli(
              ['eval', '--run', runDir, '--preset', 'min', '--backend', 'cpu'],
              io,
            );
            // A flip inside a JSON string or number can leave a loadable checkpoint; the rest fail.
            if (code !== 0) {
              expectErrorReport(code, io.err());
              expect(io.err()).toContain(join(runDir, 'checkpoint'));
            }
          } finally {
            await writeFile(path, original);
          }
        }),
        { numRuns: 40, seed: 15 },
      );
    });
  });
});
