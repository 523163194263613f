import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
const backend = tf.backend();
function time(name, f, n=10){ tf.tidy(()=>f()).dispose(); const t=performance.now(); for(let i=0;i<n;i++){ const r=tf.tidy(f); r.dataSync(); r.dispose(); } console.log(name.padEnd(40), ((performance.now()-t)/n).toFixed(2),'ms'); }
function dwFilterJS(x, dy, k, s, pt, pl) {
  const [N,H,W,C] = x.shape; const [, Ho, Wo] = dy.shape;
  const out = backend.makeOutput([k,k,C,1],'float32');
  const xv = backend.typedArrayFromHeap(x), dyv = backend.typedArrayFromHeap(dy), ov = backend.typedArrayFromHeap(out);
  ov.fill(0);
  for (let n=0;n<N;n++) for (let y=0;y<Ho;y++) for (let xx=0;xx<Wo;xx++) {
    const dyBase = ((n*Ho+y)*Wo+xx)*C;
    for (let i=0;i<k;i++) { const iy = y*s+i-pt; if (iy<0||iy>=H) continue;
      for (let j=0;j<k;j++) { const ix = xx*s+j-pl; if (ix<0||ix>=W) continue;
        const xBase = ((n*H+iy)*W+ix)*C; const oBase=(i*k+j)*C;
        for (let c=0;c<C;c++) ov[oBase+c] += xv[xBase+c]*dyv[dyBase+c];
      }
    }
  }
  return tf.engine().makeTensorFromTensorInfo(out);
}
for (const [N,H,C,k,s] of [[32,16,96,3,1],[32,16,96,3,2],[32,16,96,5,1],[32,8,192,7,1]]) {
  const Ho = Math.ceil(H/s);
  const x = tf.randomNormal([N,H,H,C]); const dy = tf.randomNormal([N,Ho,Ho,C]);
  const pt = Math.floor(Math.max((Ho-1)*s+k-H,0)/2);
  time(`js dw filter N${N} H${H} C${C} k${k} s${s}`, ()=>dwFilterJS(x,dy,k,s,pt,pt), 5);
}
