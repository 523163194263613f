import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_LABEL_WARMUP_EPOCHS,
  parseTrainConfig,
  readTrainConfig,
} from './config.js';

describe('parseTrainConfig', () => {
  it('fills every default from an empty config: tiny on Fashion-MNIST, attentive BestUp, alpha-divergence', () => {
    const config = parseTrainConfig({});
    expect(config.space).toBe('tiny');
    expect(config.data.dataset).toBe('fashion-mnist');
    expect(config.sampler).toMatchObject({
      kind: 'attentive',
      mode: 'best',
      candidates: 3,
      middle: 2,
    });
    expect(config.distillation).toEqual({
      kind: 'alpha',
      alphaMin: -1,
      alphaMax: 1,
      clip: 5,
      labelWarmupEpochs: DEFAULT_LABEL_WARMUP_EPOCHS,
    });
    expect(config.training).toMatchObject({
      momentum: 0.9,
      nesterov: true,
      gradClipValue: 1,
      labelSmoothing: 0.1,
    });
  });

  it('rejects an unknown key and names its path', () => {
    expect(() => parseTrainConfig({ training: { epochz: 2 } })).toThrow(ConfigError);
    expect(() => parseTrainConfig({ training: { epochz: 2 } })).toThrow(
      /training: .*training\.epochz/,
    );
  });

  it('rejects a wrong type and names its path', () => {
    expect(() => parseTrainConfig({ data: { batchSize: 'big' } })).toThrow(
      /data\.batchSize: .*number/,
    );
  });

  it('rejects an unknown distillation kind', () => {
    expect(() => parseTrainConfig({ distillation: { kind: 'mse' } })).toThrow(/distillation\.kind/);
  });
});

describe('readTrainConfig', () => {
  it('reads YAML and JSON files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'supernas-config-'));
    await writeFile(join(dir, 'a.yaml'), 'training:\n  steps: 5\nsampler:\n  mode: worst\n');
    await writeFile(join(dir, 'b.json'), JSON.stringify({ distillation: { kind: 'kl' } }));
    const yaml = await readTrainConfig(join(dir, 'a.yaml'));
    expect(yaml.training.steps).toBe(5);
    expect(yaml.sampler.mode).toBe('worst');
    const json = await readTrainConfig(join(dir, 'b.json'));
    expect(json.distillation).toEqual({
      kind: 'kl',
      temperature: 1,
      labelWarmupEpochs: DEFAULT_LABEL_WARMUP_EPOCHS,
    });
  });

  it('names the file when it is missing', async () => {
    await expect(readTrainConfig('/nonexistent/x.yaml')).rejects.toThrow(
      'Cannot read config /nonexistent/x.yaml: no such file',
    );
  });
});
