import { describe, expect, it } from 'vitest';
import { joinPath } from './artifact-source.js';
import { filesSource } from './files-source.js';

const blob = (text: string) => new Blob([text]);

describe('filesSource', () => {
  it('reads paths relative to the folder that holds web-run.json', async () => {
    const source = filesSource([
      { path: 'runs/demo/web-run.json', file: blob('{}') },
      { path: 'runs/demo/subnets/min/metadata.json', file: blob('{"a":1}') },
      { path: 'runs/other.txt', file: blob('x') },
    ]);
    expect(await source.readText('subnets/min/metadata.json')).toBe('{"a":1}');
    expect(source.list?.()).toEqual(['web-run.json', 'subnets/min/metadata.json']);
  });

  it('strips the one top folder of a picked run folder without an index', async () => {
    const source = filesSource([
      { path: 'run/config.json', file: blob('{}') },
      { path: 'run/min/metadata.json', file: blob('{}') },
    ]);
    expect(source.list?.()).toEqual(['config.json', 'min/metadata.json']);
  });

  it('names the missing file', async () => {
    const source = filesSource([{ path: 'config.json', file: blob('{}') }], 'my-run');
    await expect(source.readText('metrics.jsonl')).rejects.toThrow(
      /files:my-run\/metrics.jsonl: is not among the picked files/,
    );
  });
});

describe('joinPath', () => {
  it('joins and resolves dot segments', () => {
    expect(joinPath('subnets/min/', 'model.json')).toBe('subnets/min/model.json');
    expect(joinPath('checkpoint', './weights.bin')).toBe('checkpoint/weights.bin');
    expect(joinPath('a/b', '../c')).toBe('a/c');
    expect(joinPath('', 'x')).toBe('x');
  });
});
