import { formatValue } from '@supernas/errors';
import { archGenes } from './arch-genes.js';
import { InvalidArchError } from './invalid-arch-error.js';
import type { ArchConfig, SearchSpace } from './types.js';

const listFields = ['width', 'depth', 'kernelSize', 'expandRatio'] as const;

type ChoiceTable = Record<(typeof listFields)[number], (readonly number[])[]>;
const tables = new WeakMap<SearchSpace, ChoiceTable>();

function choiceTable(space: SearchSpace): ChoiceTable {
  let table = tables.get(space);
  if (!table) {
    table = { width: [], depth: [], kernelSize: [], expandRatio: [] };
    for (const gene of archGenes(space)) {
      if (gene.field !== 'resolution') table[gene.field][gene.index as number] = gene.choices;
    }
    tables.set(space, table);
  }
  return table;
}

function listFits(list: unknown, choices: readonly (readonly number[])[]): boolean {
  if (!Array.isArray(list) || list.length !== choices.length) return false;
  for (let i = 0; i < choices.length; i++) {
    if (!(choices[i] as readonly number[]).includes(list[i])) return false;
  }
  return true;
}

/**
 * The common case, an arch that fits, checked without building anything: FLOPs counting in
 * samplers and searches validates hundreds of thousands of archs a second.
 */
function fits(space: SearchSpace, arch: Record<string, unknown>): boolean {
  const table = choiceTable(space);
  return (
    space.resolutions.includes(arch.resolution as number) &&
    listFits(arch.width, table.width) &&
    listFits(arch.depth, table.depth) &&
    listFits(arch.kernelSize, table.kernelSize) &&
    listFits(arch.expandRatio, table.expandRatio)
  );
}

function lengthRule(space: SearchSpace, field: (typeof listFields)[number]): [number, string] {
  const stages = space.stages.length;
  return field === 'width'
    ? [stages + 2, 'first conv, one per stage, last conv']
    : [stages, 'one per stage'];
}

function positionText(field: string, index: number | undefined, label: string): string {
  if (index === undefined) return field;
  // Widths are offset by the first conv, so name them by array index to avoid two "stage 3"s.
  return field === 'width' ? `width[${index}] (${label})` : `${field} of stage ${index} (${label})`;
}

/**
 * Checks that `arch` is an `ArchConfig` of `space`: every field present, arrays of the right
 * length, every value one of the space's choices. Throws `InvalidArchError` naming the first
 * problem, e.g. `Invalid arch: depth of stage 3 (mb4) is 9, expected one of 3, 4, 5, 6`.
 * Returns the arch, typed, so it can be used inline.
 */
export function validateArch(space: SearchSpace, arch: unknown): ArchConfig {
  if (typeof arch !== 'object' || arch === null || Array.isArray(arch)) {
    throw new InvalidArchError(
      `expected an object with resolution, width, depth, kernelSize and expandRatio, got ${formatValue(arch)}`,
      { field: 'arch', value: arch },
    );
  }
  const record = arch as Record<string, unknown>;
  if (fits(space, record)) return arch as ArchConfig;
  if (record.resolution === undefined) {
    throw new InvalidArchError(
      `resolution is missing, expected one of ${space.resolutions.join(', ')}`,
      { field: 'resolution', value: undefined, allowed: space.resolutions },
    );
  }
  for (const field of listFields) {
    const list = record[field];
    const [length, layout] = lengthRule(space, field);
    if (list === undefined) {
      throw new InvalidArchError(
        `${field} is missing, expected an array of ${length} numbers (${layout})`,
        {
          field,
          value: undefined,
        },
      );
    }
    if (!Array.isArray(list)) {
      throw new InvalidArchError(
        `${field} is ${formatValue(list)}, expected an array of ${length} numbers (${layout})`,
        { field, value: list },
      );
    }
    if (list.length !== length) {
      throw new InvalidArchError(
        `${field} has ${list.length} entries, expected ${length} (${layout})`,
        { field, value: list },
      );
    }
  }
  for (const gene of archGenes(space)) {
    const value =
      gene.index === undefined ? record.resolution : (record[gene.field] as unknown[])[gene.index];
    if (typeof value === 'number' && gene.choices.includes(value)) continue;
    const position = positionText(gene.field, gene.index, gene.label);
    const stageName = gene.index === undefined ? undefined : gene.label;
    throw new InvalidArchError(
      `${position} is ${formatValue(value)}, expected one of ${gene.choices.join(', ')}`,
      { field: gene.field, stage: gene.index, stageName, value, allowed: gene.choices },
    );
  }
  return arch as ArchConfig;
}

/** Like `validateArch`, but answers instead of throwing. */
export function isValidArch(space: SearchSpace, arch: unknown): arch is ArchConfig {
  try {
    validateArch(space, arch);
    return true;
  } catch (error) {
    if (error instanceof InvalidArchError) return false;
    throw error;
  }
}
