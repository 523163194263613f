export type { Activation, ArchConfig, FirstConvSpace, LastConvSpace, SearchSpace, StageSpace } from './types.js';
export { attentivenasSpace } from './presets/attentivenas.js';
export { tinySpace } from './presets/tiny.js';
export { createRng, rngFromState, type Rng } from './rng.js';
