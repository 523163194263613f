export { registerGradients } from './register-gradients.js';
export type { ApplyOptions, StaticNode, StaticSubnet, Supernet } from './types.js';
