import { type FlopsPrior, sampleFlopsTarget } from '@supernas/flops';
import type { ArchConfig, Rng, SearchSpace } from '@supernas/search-space';
import { ArchTable } from './arch-table.js';
import { type DrawInRangeResult, drawArchInFlopsRange } from './draw-arch-in-flops-range.js';
import { leafSamplerMethods, type RngHolder } from './leaf-sampler-methods.js';
import type { RankArchs, SampleContext, Sampler, SamplerState } from './sampler.js';
import { SamplerError } from './sampler-error.js';
import { StatsRecorder } from './stats-recorder.js';

export interface AttentiveSamplerOptions {
  readonly space: SearchSpace;
  /** The FLOPs prior (`flopsPrior`) the targets are drawn from; its bins are the targets. */
  readonly prior: FlopsPrior;
  /** Candidates drawn in the target bin and ranked per call; AttentiveNAS uses 3. */
  readonly candidates: number;
  /** 'best' trains the lowest-scoring candidate (BestUp), 'worst' the highest (WorstUp). */
  readonly mode: 'best' | 'worst';
  /** Scores candidates, lower is better; `context.rank` overrides it for one call. */
  readonly rank?: RankArchs;
  readonly rng: Rng;
  readonly numClasses: number;
  readonly inputChannels?: number;
  /** Uniform draws per candidate before the closest one is taken. Default 100. */
  readonly maxTries?: number;
  /**
   * Archs kept per FLOPs bin in the arch table (see `ArchTable`): draws that miss the target
   * bin wait there for a later target instead of being thrown away. Default 32; 0 turns the
   * table off and every candidate is drawn by rejection sampling (`drawArchInFlopsRange`).
   */
  readonly tableSize?: number;
}

/**
 * AttentiveNAS' attentive sampler: each call draws a FLOPs target bin from the prior, draws
 * `candidates` archs uniformly among those in that bin (from the arch table, or by rejection
 * sampling, see `drawArchInFlopsRange`; the same distribution), scores them with `rank` and returns the best or worst one. Ties go
 * to the earlier candidate. With a single candidate there is nothing to compare and `rank` is
 * not called. Counts draws, acceptances and fallbacks for the training log.
 */
export function attentiveSampler(options: AttentiveSamplerOptions): Sampler {
  const { space, prior, candidates, mode, numClasses, inputChannels } = options;
  const maxTries = options.maxTries ?? 100;
  const tableSize = options.tableSize ?? 32;
  const name = `attentive-${mode}`;
  checkOptions(name, options, maxTries, tableSize);
  const lastBin = prior.binEdges.length - 2;
  const rng: RngHolder = { current: options.rng };
  const recorder = new StatsRecorder(name, prior.binEdges);
  const table =
    tableSize > 0
      ? new ArchTable(space, prior.binEdges, {
          numClasses,
          inputChannels,
          perBin: tableSize,
          maxTries,
        })
      : null;
  const leaf = leafSamplerMethods(name, recorder, rng);

  return {
    name,
    async sample(context: SampleContext = {}): Promise<ArchConfig[]> {
      const target = sampleFlopsTarget(prior, rng.current);
      const range = { low: target.low, high: target.high, includeHigh: target.bin === lastBin };
      const drawn = Array.from(
        { length: candidates },
        (): DrawInRangeResult =>
          table
            ? table.take(target.bin, rng.current)
            : drawArchInFlopsRange(space, range, {
                rng: rng.current,
                numClasses,
                inputChannels,
                maxTries,
              }),
      );
      for (const candidate of drawn) {
        recorder.add('candidateDraws', candidate.draws);
        recorder.add('acceptedDraws', candidate.inRange ? 1 : 0);
        recorder.add('candidates');
        recorder.add('fallbacks', candidate.inRange ? 0 : 1);
      }
      const chosen =
        drawn[
          candidates > 1 ? await chooseIndex(name, mode, drawn, context, options.rank, recorder) : 0
        ];
      const { arch, mflops } = chosen as (typeof drawn)[number];
      recorder.add('calls');
      recorder.add('archs');
      recorder.recordFlops(mflops);
      return [arch];
    },
    ...leaf,
    state: (): SamplerState => ({ ...leaf.state(), table: table?.state() ?? null }),
    restore(state: SamplerState): void {
      leaf.restore(state);
      // A state saved without a table (rejection sampling, or an older version) starts empty.
      table?.restore(name, state.table ?? prior.binEdges.slice(1).map(() => []));
    },
  };
}

async function chooseIndex(
  name: string,
  mode: 'best' | 'worst',
  drawn: readonly { arch: ArchConfig }[],
  context: SampleContext,
  defaultRank: RankArchs | undefined,
  recorder: StatsRecorder,
): Promise<number> {
  const rank = context.rank ?? defaultRank;
  if (!rank)
    throw new SamplerError(name, 'rank', rank, 'a function, in the options or the sample context');
  const scores = await rank(
    drawn.map((candidate) => candidate.arch),
    { ...context, prefer: mode === 'best' ? 'lowest' : 'highest' },
  );
  recorder.add('rankCalls');
  if (
    !Array.isArray(scores) ||
    scores.length !== drawn.length ||
    scores.some((score) => typeof score !== 'number' || Number.isNaN(score))
  ) {
    throw new SamplerError(
      name,
      'rank result',
      scores,
      `${drawn.length} numbers (one score per candidate, no NaN)`,
    );
  }
  let chosen = 0;
  for (let i = 1; i < scores.length; i++) {
    const better = mode === 'best' ? scores[i]! < scores[chosen]! : scores[i]! > scores[chosen]!;
    if (better) chosen = i;
  }
  return chosen;
}

function checkOptions(
  name: string,
  options: AttentiveSamplerOptions,
  maxTries: number,
  tableSize: number,
): void {
  const { candidates, mode, numClasses, prior } = options;
  if (mode !== 'best' && mode !== 'worst')
    throw new SamplerError('attentiveSampler', 'mode', mode, "'best' or 'worst'");
  for (const [argument, value] of [
    ['candidates', candidates],
    ['maxTries', maxTries],
    ['numClasses', numClasses],
  ] as const) {
    if (!(Number.isInteger(value) && value >= 1))
      throw new SamplerError(name, argument, value, 'a positive integer');
  }
  if (!(Number.isInteger(tableSize) && tableSize >= 0))
    throw new SamplerError(name, 'tableSize', tableSize, 'a non-negative integer');
  const edges = prior?.binEdges;
  const ascending =
    Array.isArray(edges) &&
    edges.every(
      (edge, i) => Number.isFinite(edge) && (i === 0 || edge >= (edges[i - 1] as number)),
    );
  if (!ascending || edges.length < 2 || prior.probabilities?.length !== edges.length - 1) {
    throw new SamplerError(
      name,
      'prior',
      prior?.binEdges,
      'a FlopsPrior with ascending binEdges, one more than its probabilities',
    );
  }
}
