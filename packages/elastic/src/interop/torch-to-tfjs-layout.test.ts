import { describe, expect, it } from 'vitest';
import { torchLayoutOf, torchToTfjsLayout } from './torch-to-tfjs-layout.js';

function iota(size: number): Float32Array {
  return Float32Array.from({ length: size }, (_, i) => i);
}

describe('torchToTfjsLayout', () => {
  it('turns an OIHW conv into HWIO', () => {
    // O=2, I=3, H=1, W=2: element [o, i, h, w] sits at ((o * 3 + i) * 1 + h) * 2 + w.
    const { values, shape } = torchToTfjsLayout('conv', iota(12), [2, 3, 1, 2]);
    expect(shape).toEqual([1, 2, 3, 2]);
    // HWIO [h, w, i, o] reads torch [o, i, h, w].
    const expected: number[] = [];
    for (let w = 0; w < 2; w++)
      for (let i = 0; i < 3; i++) for (let o = 0; o < 2; o++) expected.push((o * 3 + i) * 2 + w);
    expect(Array.from(values)).toEqual(expected);
  });

  it('turns a depthwise [C, 1, k, k] filter into [k, k, C, 1]', () => {
    const { values, shape } = torchToTfjsLayout('depthwise', iota(2 * 9), [2, 1, 3, 3]);
    expect(shape).toEqual([3, 3, 2, 1]);
    // [h, w, c, 0] reads torch [c, 0, h, w] = c * 9 + h * 3 + w.
    expect(values[0]).toBe(0);
    expect(values[1]).toBe(9);
    expect(values[2]).toBe(1);
    expect(values[17]).toBe(17);
  });

  it('transposes a linear [out, in] weight to [in, out]', () => {
    const { values, shape } = torchToTfjsLayout('linear', iota(6), [2, 3]);
    expect(shape).toEqual([3, 2]);
    expect(Array.from(values)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('keeps vectors as they are', () => {
    const input = iota(4);
    expect(torchToTfjsLayout('asIs', input, [4]).values).toBe(input);
  });
});

describe('torchLayoutOf', () => {
  it('knows depthwise filters by name and other tensors by rank', () => {
    expect(torchLayoutOf('blocks.3.mobile_inverted_conv.depth_conv.conv.conv.weight', 4)).toBe(
      'depthwise',
    );
    expect(torchLayoutOf('blocks.3.mobile_inverted_conv.depth_conv.se.fc.reduce.weight', 4)).toBe(
      'conv',
    );
    expect(torchLayoutOf('first_conv.conv.conv.weight', 4)).toBe('conv');
    expect(torchLayoutOf('classifier.linear.linear.weight', 2)).toBe('linear');
    expect(torchLayoutOf('first_conv.bn.bn.running_var', 1)).toBe('asIs');
  });
});
