export { expectedMessage, formatValue, formatValueMaxLength } from './format-value.js';
export { SupernasError, type SupernasErrorOptions } from './supernas-error.js';
