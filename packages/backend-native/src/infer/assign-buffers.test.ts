import { describe, expect, it } from 'vitest';
import { assignBuffers, type ValueOp } from './assign-buffers.js';

const op = (
  kind: string,
  inputs: string[],
  output: string,
  extra: Partial<ValueOp> = {},
): ValueOp => ({
  kind,
  inputs,
  output,
  size: 8,
  fields: {},
  ...extra,
});

describe('assignBuffers', () => {
  it('lets an element-wise op write over an input that dies there, never over the input', () => {
    const { buffers, ops } = assignBuffers(
      [
        op('activation', ['input'], 'a', { elementwise: true }),
        op('activation', ['a'], 'b', { elementwise: true }),
        op('add', ['b', 'input'], 'logits', { elementwise: true }),
      ],
      new Map(),
      'logits',
    );
    expect(buffers).toEqual([8]);
    expect(ops.map((planOp) => [planOp.src, planOp.dst])).toEqual([
      [-1, 0],
      [0, 0],
      [0, 0],
    ]);
  });

  it('writes a fused residual add over the residual when it dies there, else over a copy', () => {
    const { ops } = assignBuffers(
      [
        op('conv', ['input'], 'r'),
        op('conv', ['r'], 'h'),
        op('conv', ['h', 'r'], 'sum', { sumInPlace: 'r' }),
        op('conv', ['sum', 'sum'], 'logits', { sumInPlace: 'sum' }),
      ],
      new Map(),
      'logits',
    );
    expect(ops[2]).toMatchObject({ src: 1, dst: 0, sumCopyFrom: -2 });
    // The residual is also the convolution's source: it cannot be overwritten while read.
    expect(ops[3]).toMatchObject({ src: 0, sumCopyFrom: 0 });
    expect(ops[3]?.dst).not.toBe(0);
  });

  it('follows aliases (a flatten shares its input buffer) when values die', () => {
    const { buffers, ops, output } = assignBuffers(
      [op('globalAvgPool', ['input'], 'pool'), op('dense', ['flat'], 'logits')],
      new Map([['flat', 'pool']]),
      'logits',
    );
    expect(ops[1]?.src).toBe(ops[0]?.dst);
    expect(buffers).toHaveLength(2);
    expect(output).toBe(1);
  });
});
