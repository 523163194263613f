import { countSubnets, tinySpace } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { captureIo } from './cli-io.js';
import { buildProgram, runCli } from './program.js';

function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

describe('buildProgram', () => {
  it('registers the space and flops commands', () => {
    const names = buildProgram(captureIo()).commands.map((command) => command.name());
    expect(names).toEqual(expect.arrayContaining(['space', 'flops']));
  });
});

describe('runCli', () => {
  it('shows a space as text', async () => {
    const io = captureIo();
    expect(await runCli(['space', 'show', '--space', 'tiny'], io)).toBe(0);
    const text = io.out();
    expect(text).toContain('Search space tiny');
    expect(text).toMatch(/^mb3 +24, 32 +1, 2, 3 +3 +3, 4, 6 +2 +yes +swish$/m);
    expect(text).toContain(`subnets      ${countSubnets(tinySpace).toLocaleString('en-US')}`);
    expect(io.err()).toBe('');
  });

  it('shows a space as one JSON line with its subnet count and FLOPs range', async () => {
    const io = captureIo();
    expect(await runCli(['space', 'show', '--space', 'attentivenas', '--json'], io)).toBe(0);
    const summary = JSON.parse(lastLine(io.out()));
    expect(summary).toMatchObject({
      name: 'attentivenas',
      subnets: 440_301_256_704,
      numClasses: 1000,
      minMflops: 203.389568,
      maxMflops: 1939.335808,
      minParams: 9_064_648,
    });
    expect(summary.stages).toHaveLength(7);
  });

  it('names the unknown space and the known ones, exiting 1', async () => {
    const io = captureIo();
    expect(await runCli(['space', 'show', '--space', 'ofa'], io)).toBe(1);
    expect(io.err()).toBe(
      "error: Unknown search space 'ofa', expected one of attentivenas, tiny\n",
    );
  });

  it('reports a usage error through commander with its exit code', async () => {
    const io = captureIo();
    expect(await runCli(['space', 'show'], io)).toBe(1);
    expect(io.err()).toContain("error: required option '--space <name>' not specified");
    const badCount = captureIo();
    expect(
      await runCli(['space', 'show', '--space', 'tiny', '--num-classes', 'ten'], badCount),
    ).toBe(1);
    expect(badCount.err()).toContain('expected a positive integer, got "ten"');
  });

  it('prints help and exits 0', async () => {
    const io = captureIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: supernas');
    expect(io.out()).toContain('flops');
  });
});
