import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const m = tf.backend().wasm;
console.log(Object.keys(m).filter(k=>/mem|asm|Exports|HEAP/i.test(k)));
console.log(m.HEAPU8.buffer.constructor.name, m.HEAPU8.buffer.byteLength, typeof m.wasmMemory, m.asm && Object.keys(m.asm).slice(0,5));
