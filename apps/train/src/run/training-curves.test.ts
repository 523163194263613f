import { describe, expect, it } from 'vitest';
import { stepRecord } from './test-utils/step-record.js';
import { trainingCurvesFromMetrics } from './training-curves.js';

describe('trainingCurvesFromMetrics', () => {
  it('takes max and min losses, averages the middle ones, and finds the switch to distillation', () => {
    const curves = trainingCurvesFromMetrics([
      stepRecord(1, 'none', [
        ['max', 2.3],
        ['middle', 2.2],
        ['middle', 2.4],
        ['min', 2.5],
      ]),
      { type: 'epoch', epoch: 0, step: 1, meanLoss: {} },
      stepRecord(2, 'alpha', [
        ['max', 2.0],
        ['middle', 0.3],
        ['middle', 0.5],
        ['min', 0.6],
      ]),
    ]);
    expect(curves.losses).toEqual([
      { step: 1, role: 'max', loss: 2.3 },
      { step: 1, role: 'min', loss: 2.5 },
      { step: 1, role: 'middle', loss: expect.closeTo(2.3, 12) },
      { step: 2, role: 'max', loss: 2.0 },
      { step: 2, role: 'min', loss: 0.6 },
      { step: 2, role: 'middle', loss: expect.closeTo(0.4, 12) },
    ]);
    expect(curves.learningRates).toEqual([
      { step: 1, learningRate: 0.1 },
      { step: 2, learningRate: 0.05 },
    ]);
    expect(curves.labelWarmupStep).toBe(2);
  });

  it('keeps the last record of a step repeated by a resumed run, in step order', () => {
    const curves = trainingCurvesFromMetrics([
      stepRecord(1, 'alpha', [['max', 1]]),
      stepRecord(2, 'alpha', [['max', 9]]),
      stepRecord(2, 'alpha', [['max', 2]]),
    ]);
    expect(curves.losses).toEqual([
      { step: 1, role: 'max', loss: 1 },
      { step: 2, role: 'max', loss: 2 },
    ]);
  });

  it('marks no switch when the students distilled from the first step or never did', () => {
    expect(
      trainingCurvesFromMetrics([stepRecord(1, 'alpha', [['max', 1]])]).labelWarmupStep,
    ).toBeUndefined();
    expect(
      trainingCurvesFromMetrics([
        stepRecord(1, 'none', [['max', 1]]),
        stepRecord(2, 'none', [['max', 1]]),
      ]).labelWarmupStep,
    ).toBeUndefined();
  });
});
