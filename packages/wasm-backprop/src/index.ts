export {
  type RegisterWasmBackpropOptions,
  registerWasmBackprop,
  unregisterWasmBackprop,
} from './register-wasm-backprop.js';
export { UnsupportedConvolutionError } from './unsupported-convolution-error.js';
