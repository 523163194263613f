import { attentivenasSpace } from './presets/attentivenas.js';
import { tinySpace } from './presets/tiny.js';
import type { SearchSpace } from './types.js';
import { UnknownSearchSpaceError } from './unknown-search-space-error.js';

const presets = { attentivenas: attentivenasSpace, tiny: tinySpace } as const;

/** Names `getSearchSpace` knows. */
export type PresetName = keyof typeof presets;

/** The names of the preset spaces, for CLIs and pickers. */
export const presetNames: readonly PresetName[] = Object.freeze(
  Object.keys(presets) as PresetName[],
);

/** A preset space by name; throws `UnknownSearchSpaceError` listing the known names. */
export function getSearchSpace(name: string): SearchSpace {
  if (!Object.hasOwn(presets, name)) throw new UnknownSearchSpaceError(name, presetNames);
  return presets[name as PresetName];
}
