import type { RankArchs, Sampler } from '@supernas/samplers';
import type { ArchConfig } from '@supernas/search-space';
import { type Pass, SandwichPasses, sameArch } from './sandwich-passes.js';
import { roleOf, type SandwichStepInput, type SubnetLoss } from './sandwich-step.js';

export interface RankedSandwichStepInput extends Omit<SandwichStepInput, 'archs'> {
  /** A sampler whose `first` arch (the teacher) is known before it samples. */
  readonly sampler: Sampler & { readonly first: ArchConfig };
  /** The step as the sampler counts it (from 0). */
  readonly samplerStep: number;
  /** Ranks a call that brings no `prefer` hint: plain no-grad forwards. */
  readonly rank: RankArchs;
  /** Throws on a candidate's non-finite score, before any weight changes. */
  readonly checkScores: (archs: readonly ArchConfig[], scores: readonly number[]) => void;
}

/**
 * A sandwich step in the reference's order (on a CPU-memory backend, see `onCpuMemoryBackend`): the teacher trains first, then each attentive
 * ranking runs its candidates' forwards on the tape and back-propagates the one the sampler
 * will keep, so the chosen student's forward is not run a second time (the reference runs
 * it again after ranking; with the same weights, batch and BN on batch statistics, it is the
 * same forward). The sampler's choice decides: a student it returns that no ranking trained
 * (no ranking, another choice) trains as in `sandwichStep`. Same losses and gradients as
 * ranking first and then calling `sandwichStep` with the sampled archs.
 */
export async function rankedSandwichStep(
  input: RankedSandwichStepInput,
): Promise<{ archs: ArchConfig[]; losses: SubnetLoss[] }> {
  const { sampler } = input;
  const passes = new SandwichPasses(input);
  const ranked: Pass[] = [];
  try {
    await passes.train(sampler.first, 'max');
    const rank: RankArchs = async (candidates, context) => {
      if (context.prefer === undefined) return input.rank(candidates, context);
      await input.betweenSubnets?.();
      const { scores, pass } = passes.rankAndTrain(candidates, context.prefer);
      input.checkScores(candidates, scores);
      ranked.push(pass);
      return scores;
    };
    const archs = await sampler.sample({ step: input.samplerStep, rank });
    if (archs.length === 0 || !sameArch(archs[0]!, sampler.first))
      throw new Error(
        `rankedSandwichStep: sampler '${sampler.name}' did not start the step with its first arch`,
      );
    for (let index = 1; index < archs.length; index++) {
      const arch = archs[index]!;
      const role = roleOf(index, archs.length);
      const match = ranked.findIndex((pass) => sameArch(pass.arch, arch));
      if (match >= 0) await passes.confirm(ranked.splice(match, 1)[0]!, role);
      else {
        await input.betweenSubnets?.();
        await passes.train(arch, role);
      }
    }
    return { archs, losses: await passes.finish() };
  } finally {
    for (const pass of ranked) passes.discard(pass);
    passes.dispose();
  }
}
