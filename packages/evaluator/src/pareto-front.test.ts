import { describe, expect, it } from 'vitest';
import { bestWithinBudget, paretoFront } from './pareto-front.js';

const points = [
  { name: 'a', cost: 1, accuracy: 0.5 },
  { name: 'b', cost: 2, accuracy: 0.7 },
  { name: 'c', cost: 2.5, accuracy: 0.6 },
  { name: 'd', cost: 3, accuracy: 0.9 },
  { name: 'e', cost: 0.5, accuracy: 0.4 },
  { name: 'f', cost: 3, accuracy: 0.8 },
];

describe('paretoFront', () => {
  it('keeps the points no other beats on both cost and accuracy, by increasing cost', () => {
    expect(paretoFront(points).map((point) => point.name)).toEqual(['e', 'a', 'b', 'd']);
  });

  it('returns an empty front for no points', () => {
    expect(paretoFront([])).toEqual([]);
  });
});

describe('bestWithinBudget', () => {
  it('picks the most accurate point whose cost fits', () => {
    expect(bestWithinBudget(points, 2.9)?.name).toBe('b');
    expect(bestWithinBudget(points, 3)?.name).toBe('d');
  });

  it('prefers the cheaper of two equally accurate points', () => {
    const tied = [
      { cost: 2, accuracy: 0.7 },
      { cost: 1, accuracy: 0.7 },
    ];
    expect(bestWithinBudget(tied, 5)).toEqual({ cost: 1, accuracy: 0.7 });
  });

  it('returns undefined when nothing fits', () => {
    expect(bestWithinBudget(points, 0.1)).toBeUndefined();
  });
});
