import { TrainerConfigError } from './errors.js';

/** Linear warm-up to `baseLr`, then cosine decay to `minLr`, as the reference `warmup_cosine_lr`. */
export interface LrScheduleConfig {
  readonly baseLr: number;
  readonly warmupSteps: number;
  readonly totalSteps: number;
  readonly minLr?: number;
}

export function warmupCosineLr(config: LrScheduleConfig): (step: number) => number {
  const { baseLr, warmupSteps, totalSteps, minLr = 0 } = config;
  if (!(baseLr > 0)) throw new TrainerConfigError('baseLr', baseLr, 'a number > 0');
  if (!(totalSteps > 0)) throw new TrainerConfigError('totalSteps', totalSteps, 'a number > 0');
  if (!(warmupSteps >= 0 && warmupSteps <= totalSteps)) {
    throw new TrainerConfigError('warmupSteps', warmupSteps, `a number in [0, ${totalSteps}]`);
  }
  return (step: number): number => {
    if (step < warmupSteps) return (baseLr * (step + 1)) / warmupSteps;
    const progress = Math.min(1, (step - warmupSteps) / Math.max(1, totalSteps - warmupSteps));
    return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * progress));
  };
}
