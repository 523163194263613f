import { describe, expect, it } from 'vitest';
import * as search from './index.js';

describe('@supernas/search', () => {
  it('exports the search, its checks and the Pareto tools', () => {
    for (const name of [
      'createEvolutionarySearch',
      'evolutionarySearch',
      'checkBudget',
      'costOf',
      'repairArch',
      'nonDominatedSort',
      'paretoFront',
      'SearchError',
    ]) {
      expect(search, name).toHaveProperty(name);
    }
  });
});
