import { createRng } from '@supernas/search-space';
import { describe, expect, it } from 'vitest';
import { nonDominatedSort, paretoFront } from './pareto.js';

type Point = { accuracy: number; mflops: number; latency: number };

function randomPoints(seed: number, count: number): Point[] {
  const rng = createRng(seed);
  // Small integer ranges: plenty of ties and duplicates.
  return Array.from({ length: count }, () => ({
    accuracy: rng.int(8),
    mflops: rng.int(8),
    latency: rng.int(5),
  }));
}

const dominatesBrute = (a: Point, b: Point, keys: (keyof Point)[]) =>
  keys.every((key) => (key === 'accuracy' ? a[key] >= b[key] : a[key] <= b[key])) &&
  keys.some((key) => (key === 'accuracy' ? a[key] > b[key] : a[key] < b[key]));

function bruteFront(
  points: Point[],
  keys: (keyof Point)[],
  among = points.map((_, i) => i),
): number[] {
  return among.filter((i) => !among.some((j) => dominatesBrute(points[j]!, points[i]!, keys)));
}

const objectives = {
  accuracy: { value: (p: Point) => p.accuracy, goal: 'max' as const },
  mflops: { value: (p: Point) => p.mflops, goal: 'min' as const },
  latency: { value: (p: Point) => p.latency, goal: 'min' as const },
};

describe('paretoFront', () => {
  it.each([1, 2, 3, 4, 5])(
    'equals the brute-force front of accuracy against MFLOPs (seed %d)',
    (seed) => {
      const points = randomPoints(seed, 60);
      const front = paretoFront(
        points,
        (p) => p.accuracy,
        (p) => p.mflops,
      );
      expect([...front].sort((a, b) => a - b)).toEqual(bruteFront(points, ['accuracy', 'mflops']));
      const costs = front.map((i) => points[i]!.mflops);
      expect(costs).toEqual([...costs].sort((a, b) => a - b));
    },
  );

  it('keeps equal points together and drops a point beaten at equal cost', () => {
    const points = [
      { accuracy: 5, mflops: 1, latency: 0 },
      { accuracy: 5, mflops: 1, latency: 0 },
      { accuracy: 4, mflops: 1, latency: 0 },
      { accuracy: 5, mflops: 2, latency: 0 },
      { accuracy: 7, mflops: 3, latency: 0 },
    ];
    expect(
      paretoFront(
        points,
        (p) => p.accuracy,
        (p) => p.mflops,
      ),
    ).toEqual([0, 1, 4]);
  });
});

describe('nonDominatedSort', () => {
  it.each([6, 7, 8])(
    'peels brute-force fronts off one after another, three objectives (seed %d)',
    (seed) => {
      const points = randomPoints(seed, 50);
      const keys: (keyof Point)[] = ['accuracy', 'mflops', 'latency'];
      const fronts = nonDominatedSort(points, [
        objectives.accuracy,
        objectives.mflops,
        objectives.latency,
      ]);
      let remaining = points.map((_, i) => i);
      for (const front of fronts) {
        expect(front).toEqual(bruteFront(points, keys, remaining));
        remaining = remaining.filter((i) => !front.includes(i));
      }
      expect(remaining).toEqual([]);
    },
  );

  it('agrees with paretoFront on its first front for two objectives', () => {
    const points = randomPoints(9, 80);
    const [first] = nonDominatedSort(points, [objectives.accuracy, objectives.mflops]);
    const front = paretoFront(
      points,
      (p) => p.accuracy,
      (p) => p.mflops,
    );
    expect(first).toEqual([...front].sort((a, b) => a - b));
  });
});
