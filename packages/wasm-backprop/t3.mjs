import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
function time(name, f, n=10){ tf.tidy(()=>f()).dispose(); const t=performance.now(); for(let i=0;i<n;i++){ const r=tf.tidy(f); r.dataSync(); r.dispose(); } console.log(name.padEnd(40), ((performance.now()-t)/n).toFixed(2),'ms'); }
for (const [N,H,C,k,s] of [[32,16,96,3,1],[32,16,96,3,2],[32,16,96,5,1],[32,8,192,7,1]]) {
  const Ho = Math.ceil(H/s);
  const x = tf.randomNormal([N,H,H,C]); const dy = tf.randomNormal([N,Ho,Ho,C]);
  const pt = Math.floor(Math.max((Ho-1)*s+k-H,0)/2);
  time(`dw trick N${N} H${H} C${C} k${k} s${s}`, ()=>{
    const xt = tf.reshape(tf.transpose(x,[1,2,0,3]),[1,H,H,N*C]);
    const f = tf.reshape(tf.transpose(dy,[1,2,0,3]),[Ho,Ho,N*C,1]);
    const need = (Ho-1)*s + k; const pb = need - H - pt;
    const out = tf.depthwiseConv2d(xt, f, 1, [[0,0],[pt,pb],[pt,pb],[0,0]], 'NHWC', s);
    return tf.sum(tf.reshape(out,[k,k,N,C]),2);
  }, 3);
  time('  transpose x', ()=>tf.transpose(x,[1,2,0,3]));
  time('  mul x dy (s1 only)', ()=> s===1? tf.mul(x,dy): tf.mul(dy,dy));
}
