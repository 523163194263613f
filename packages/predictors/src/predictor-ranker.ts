import type { ArchConfig, SearchSpace } from '@supernas/search-space';
import type { Predictor } from './predictor.js';
import { checkPredictorSpace } from './predictor-json.js';

/**
 * A rank callback for the attentive sampler (`RankArchs` of `@supernas/samplers`, lower is
 * better): each arch's score is its negated predicted accuracy, so `best` mode trains the arch
 * the predictor likes most and `worst` the one it likes least. With `space`, a predictor of
 * another space is refused here rather than on the first call.
 */
export function predictorRanker(
  predictor: Pick<Predictor, 'predict' | 'spaceName'>,
  space?: SearchSpace,
): (archs: readonly ArchConfig[]) => number[] {
  if (space) checkPredictorSpace(predictor.spaceName, space);
  return (archs) => predictor.predict(archs).map((accuracy) => -accuracy);
}
