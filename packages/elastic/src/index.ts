export { registerGradients } from './register-gradients.js';
