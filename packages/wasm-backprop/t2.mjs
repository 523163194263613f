import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
function time(name, f, n=10){ tf.tidy(()=>f()).dispose(); const t=performance.now(); for(let i=0;i<n;i++){ const r=tf.tidy(f); r.dataSync(); r.dispose(); } console.log(name.padEnd(40), ((performance.now()-t)/n).toFixed(2),'ms'); }
const b = tf.randomNormal([32*16*16, 96]); const c= tf.randomNormal([32*16*16,24]);
const bT = tf.transpose(b); const cT = tf.transpose(c);
time('matMul(b,c,TA)', ()=>tf.matMul(b,c,true,false));
time('matMul(c,b,TA)', ()=>tf.matMul(c,b,true,false));
time('matMul(bT,c)', ()=>tf.matMul(bT,c));
time('matMul(bT,cT,TB)', ()=>tf.matMul(bT,cT,false,true));
time('transpose(b)', ()=>tf.transpose(b));
time('matMul(transpose(b),c)', ()=>tf.matMul(tf.transpose(b),c));
time('matMul(b, w) fwd 8192x96x24', ()=>tf.matMul(b, tf.ones([96,24])));
time('matMul(c, wT, TB) 8192x24x96', ()=>tf.matMul(c, tf.ones([96,24]),false,true));
time('matMul(c, w) 8192x24x96', ()=>tf.matMul(c, tf.ones([24,96])));
const x4 = tf.reshape(b,[32,16,16,96]); const dy4 = tf.reshape(c,[32,16,16,24]);
time('conv trick 1x1 filter grad', ()=>{ const xt = tf.transpose(x4,[3,1,2,0]); const f = tf.transpose(dy4,[1,2,0,3]); return tf.conv2d(xt,f,1,'valid'); });
time('conv2dTranspose 1x1 (builtin)', ()=>tf.conv2dTranspose(dy4, tf.ones([1,1,96,24]),[32,16,16,96],1,'same'));
time('conv3DBackpropFilterV2 1x1', ()=>tf.conv3dBackpropFilter? null: tf.tidy(()=>tf.engine().runKernel('Conv3DBackpropFilterV2',{x:tf.reshape(x4,[32,1,16,16,96]),dy:tf.reshape(dy4,[32,1,16,16,24])},{strides:[1,1,1],pad:'valid',filterShape:[1,1,1,96,24]})));
