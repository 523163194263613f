// Times the training kernels of native/mbconv-train.cc against what they replace, in alternating
// rounds in one process, at the shapes of attentivenas-train (batch 16 at 192 px) and tiny-train:
// - BN + swish fused (`batchNormActivationTraining` / `...Grad`) against BN alone plus the swish
//   kernels (oneDNN eltwise), each way;
// - the depthwise weight gradient loop against oneDNN's convolution_backward_weights.
//   node bench/train-kernels.mjs [--rounds 3]
import { parseArgs } from 'node:util';
import { loadAddon } from '../dist/load-addon.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
const loaded = loadAddon();
if (!('addon' in loaded)) throw new Error(loaded.reason);
const { addon } = loaded;
addon.setNumThreads(2);

const filled = (length, seed) => {
  const values = new Float32Array(length);
  for (let i = 0; i < length; i++) values[i] = Math.sin((i + seed) * 12.9898) * 2;
  return values;
};
const median = (run) => {
  run();
  const times = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[3];
};
const cases = [
  { shape: [16, 96, 96, 96], kernelSize: 3 },
  { shape: [16, 48, 48, 192], kernelSize: 5 },
  { shape: [16, 24, 24, 384], kernelSize: 3 },
  { shape: [16, 12, 12, 1152], kernelSize: 5 },
  { shape: [64, 7, 7, 144], kernelSize: 3 },
];
const results = new Map();
const record = (key, ms) => results.set(key, [...(results.get(key) ?? []), ms]);
for (let round = 0; round < Number(values.rounds); round++) {
  for (const { shape, kernelSize } of cases) {
    const [n, h, w, c] = shape;
    const size = n * h * w * c;
    const [x, dy] = [filled(size, 1), filled(size, 2)];
    const [y, u, dx, du] = [0, 0, 0, 0].map(() => new Float32Array(size));
    const gamma = filled(c, 3).map(Math.abs);
    const beta = filled(c, 4);
    const [mean, inverseStd, dGamma, dBeta] = [0, 0, 0, 0].map(() => new Float32Array(c));
    const pad = kernelSize >> 1;
    const dims = [n, h, w, c, h, w, c, kernelSize, kernelSize, 1, 1, 1, 1, pad, pad, pad, pad, 1];
    const dFilter = new Float32Array(kernelSize * kernelSize * c);
    const label = `[${shape}]`;
    record(
      `${label} BN+swish forward, separate`,
      median(() => {
        addon.batchNormActivationTraining(x, c, gamma, beta, 1e-5, 0, u, mean, inverseStd);
        addon.unary('swish', u, y, 0);
      }),
    );
    record(
      `${label} BN+swish forward, fused`,
      median(() =>
        addon.batchNormActivationTraining(x, c, gamma, beta, 1e-5, 1, y, mean, inverseStd),
      ),
    );
    record(
      `${label} BN+swish backward, separate`,
      median(() => {
        addon.swishGrad(dy, u, du);
        addon.batchNormActivationTrainingGrad(
          du,
          x,
          c,
          mean,
          inverseStd,
          gamma,
          null,
          0,
          dx,
          dGamma,
          dBeta,
        );
      }),
    );
    record(
      `${label} BN+swish backward, fused`,
      median(() =>
        addon.batchNormActivationTrainingGrad(
          dy,
          x,
          c,
          mean,
          inverseStd,
          gamma,
          beta,
          1,
          dx,
          dGamma,
          dBeta,
        ),
      ),
    );
    record(
      `${label} depthwise ${kernelSize}x${kernelSize} dFilter, oneDNN (${addon.convImplementation('backwardWeights', dims)})`,
      median(() => addon.convBackwardWeights(x, dy, dFilter, dims)),
    );
    record(
      `${label} depthwise ${kernelSize}x${kernelSize} dFilter, loop`,
      median(() => addon.depthwiseBackwardWeights(x, dy, dFilter, dims)),
    );
  }
}
for (const [key, times] of results) {
  const sorted = [...times].sort((a, b) => a - b);
  console.log(
    `${key.padEnd(72)} ${sorted[sorted.length >> 1].toFixed(2).padStart(8)} ms (${sorted[0].toFixed(2)}-${sorted.at(-1).toFixed(2)})`,
  );
}
