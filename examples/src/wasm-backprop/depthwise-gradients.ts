import * as tf from '@tensorflow/tfjs'; // tfjs-core with its gradient functions registered
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmBackprop } from '@supernas/wasm-backprop';

await tf.setBackend('wasm');
registerWasmBackprop(); // where the app picks its backend (a later call applies new options)

const x = tf.randomNormal<tf.Rank.R4>([8, 32, 32, 16]);
const filter = tf.variable(tf.randomNormal<tf.Rank.R4>([3, 3, 16, 1]));
const loss = () => tf.mean(tf.square(tf.depthwiseConv2d(x, filter, 2, 'same'))) as tf.Scalar;
const before = tf.tidy(() => loss().dataSync()[0]);
tf.train.sgd(0.1).minimize(loss); // works on wasm now
const after = tf.tidy(() => loss().dataSync()[0]);
console.log(`loss on ${tf.getBackend()}: ${before} -> ${after}`);
