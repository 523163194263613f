import { describe, expect, it } from 'vitest';
import { archFromGeneValues, archGenes, geneValue } from './arch-genes.js';
import { minArch } from './extreme-archs.js';
import { attentivenasSpace } from './presets/attentivenas.js';

describe('archGenes', () => {
  it('lists resolution, widths, depths, kernel sizes and expand ratios in order', () => {
    const genes = archGenes(attentivenasSpace);
    expect(genes).toHaveLength(31);
    expect(genes.map((gene) => gene.field).slice(0, 11)).toEqual([
      'resolution',
      ...Array(9).fill('width'),
      'depth',
    ]);
    expect(genes[1]).toMatchObject({ label: 'first conv', index: 0, choices: [16, 24] });
    expect(genes[9]).toMatchObject({ label: 'last conv', index: 8, choices: [1792, 1984] });
    expect(genes[30]).toMatchObject({ field: 'expandRatio', index: 6, label: 'mb7' });
  });

  it('returns the same frozen list for the same space', () => {
    expect(archGenes(attentivenasSpace)).toBe(archGenes(attentivenasSpace));
    expect(Object.isFrozen(archGenes(attentivenasSpace))).toBe(true);
  });
});

describe('archFromGeneValues', () => {
  it('inverts geneValue', () => {
    const arch = minArch(attentivenasSpace);
    const values = archGenes(attentivenasSpace).map((gene) => geneValue(arch, gene));
    expect(values.slice(0, 3)).toEqual([192, 16, 16]);
    expect(archFromGeneValues(attentivenasSpace, values)).toEqual(arch);
  });
});
