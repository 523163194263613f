import { describe, expect, it } from 'vitest';
import { warmupCosineLr } from './lr-schedule.js';

describe('warmupCosineLr', () => {
  it('rises linearly during warm-up and reaches the base rate at its end', () => {
    const lr = warmupCosineLr({ baseLr: 0.4, warmupSteps: 4, totalSteps: 20 });
    expect([0, 1, 2, 3].map(lr)).toEqual([0.1, 0.2, 0.30000000000000004, 0.4]);
    expect(lr(4)).toBeCloseTo(0.4, 12);
  });

  it('follows half a cosine down to the minimum', () => {
    const lr = warmupCosineLr({ baseLr: 1, warmupSteps: 0, totalSteps: 10, minLr: 0.1 });
    expect(lr(0)).toBeCloseTo(1, 12);
    expect(lr(5)).toBeCloseTo(0.55, 12);
    expect(lr(10)).toBeCloseTo(0.1, 12);
    expect(lr(50)).toBeCloseTo(0.1, 12);
  });

  it('rejects a warm-up longer than the run', () => {
    expect(() => warmupCosineLr({ baseLr: 1, warmupSteps: 11, totalSteps: 10 })).toThrow(
      'Invalid trainer config: warmupSteps is 11, expected a number in [0, 10]',
    );
  });
});
