/*
 * The training curves out of a run's metrics.jsonl, as plain data for `trainingCurvesSpec`:
 * pure, so a browser app can build the same chart from the same file.
 */

export type SubnetRole = 'max' | 'middle' | 'min';

/** One point of the loss curves: the max or min subnet's loss, or the middle subnets' mean. */
export interface LossPoint {
  readonly step: number;
  readonly role: SubnetRole;
  readonly loss: number;
}

export interface LearningRatePoint {
  readonly step: number;
  readonly learningRate: number;
}

export interface TrainingCurves {
  readonly losses: readonly LossPoint[];
  readonly learningRates: readonly LearningRatePoint[];
  /** The first step on which the students distilled from the max subnet after training on the
   * labels (`distillation.labelWarmupEpochs`); undefined when there was no such switch. */
  readonly labelWarmupStep?: number;
}

interface StepRecordLike {
  readonly type?: unknown;
  readonly step?: unknown;
  readonly learningRate?: unknown;
  readonly studentLoss?: unknown;
  readonly losses?: ReadonlyArray<{ readonly role?: unknown; readonly loss?: unknown }>;
}

/**
 * The curves out of a run's metrics.jsonl records (one parsed JSON object per line): the last
 * record of each step wins, since a resumed run repeats the steps after its last checkpoint.
 */
export function trainingCurvesFromMetrics(records: readonly unknown[]): TrainingCurves {
  const byStep = new Map<number, StepRecordLike>();
  for (const record of records as readonly StepRecordLike[]) {
    if (record?.type === 'step' && typeof record.step === 'number') byStep.set(record.step, record);
  }
  const steps = [...byStep.keys()].sort((a, b) => a - b);
  const losses: LossPoint[] = [];
  const learningRates: LearningRatePoint[] = [];
  let labelWarmupStep: number | undefined;
  let sawLabelsOnly = false;
  for (const step of steps) {
    const record = byStep.get(step)!;
    if (typeof record.learningRate === 'number') {
      learningRates.push({ step, learningRate: record.learningRate });
    }
    if (record.studentLoss === 'none') sawLabelsOnly = true;
    else if (sawLabelsOnly && labelWarmupStep === undefined && record.studentLoss !== undefined) {
      labelWarmupStep = step;
    }
    const middle: number[] = [];
    for (const entry of record.losses ?? []) {
      if (typeof entry.loss !== 'number' || !Number.isFinite(entry.loss)) continue;
      if (entry.role === 'max' || entry.role === 'min') {
        losses.push({ step, role: entry.role, loss: entry.loss });
      } else if (entry.role === 'middle') {
        middle.push(entry.loss);
      }
    }
    if (middle.length > 0) {
      losses.push({
        step,
        role: 'middle',
        loss: middle.reduce((sum, loss) => sum + loss, 0) / middle.length,
      });
    }
  }
  return labelWarmupStep === undefined
    ? { losses, learningRates }
    : { losses, learningRates, labelWarmupStep };
}
