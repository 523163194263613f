// A small MBConv network written with plain tfjs ops the way @supernas/elastic builds subnets:
// 1x1 convolutions as matMul over [N*H*W, C], depthwise k3/k5 with explicit symmetric padding,
// squeeze-excite, batch norm with batch statistics, swish, residuals. Used by the benchmark to
// time a training step and inference on any tfjs backend. bench/train_step.py mirrors it.
import { seededRng } from '@supernas/test-utils/random';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining as fusedBatchNormTraining, swish as fusedSwish } from '../dist/index.js';

/** [inChannels, outChannels, expandRatio, kernelSize, stride, squeezeExcite] per block. */
export const blocks = [
  [16, 16, 1, 3, 1, true],
  [16, 24, 4, 3, 2, false],
  [24, 24, 4, 5, 1, true],
  [24, 40, 4, 5, 2, true],
  [40, 40, 6, 3, 1, true],
];
export const stemChannels = 16;
export const headChannels = 128;
export const numClasses = 10;

/** Parameters (He-uniform, seeded) and BN running statistics, as tf.Variables. */
export function createNet(seed = 1) {
  const random = seededRng(seed).next;
  const params = new Map();
  const stats = new Map();
  const weight = (name, shape, fanIn) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const bound = Math.sqrt(6 / fanIn);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i += 1) values[i] = (random() * 2 - 1) * bound;
    params.set(name, tf.variable(tf.tensor(values, shape), true, name));
  };
  const bn = (name, channels) => {
    params.set(`${name}.gamma`, tf.variable(tf.ones([channels]), true, `${name}.gamma`));
    params.set(`${name}.beta`, tf.variable(tf.zeros([channels]), true, `${name}.beta`));
    stats.set(`${name}.mean`, tf.variable(tf.zeros([channels]), false, `${name}.mean`));
    stats.set(`${name}.variance`, tf.variable(tf.ones([channels]), false, `${name}.variance`));
  };
  weight('stem.conv', [3, 3, 3, stemChannels], 27);
  bn('stem.bn', stemChannels);
  blocks.forEach(([inChannels, outChannels, expandRatio, kernelSize, , se], i) => {
    const hidden = inChannels * expandRatio;
    if (expandRatio !== 1) {
      weight(`b${i}.expand`, [inChannels, hidden], inChannels);
      bn(`b${i}.expand.bn`, hidden);
    }
    weight(`b${i}.depthwise`, [kernelSize, kernelSize, hidden, 1], kernelSize * kernelSize);
    bn(`b${i}.depthwise.bn`, hidden);
    if (se) {
      const squeezed = Math.max(8, hidden >> 2);
      weight(`b${i}.se.reduce`, [hidden, squeezed], hidden);
      params.set(`b${i}.se.reduce.bias`, tf.variable(tf.zeros([squeezed]), true));
      weight(`b${i}.se.expand`, [squeezed, hidden], squeezed);
      params.set(`b${i}.se.expand.bias`, tf.variable(tf.zeros([hidden]), true));
    }
    weight(`b${i}.project`, [hidden, outChannels], hidden);
    bn(`b${i}.project.bn`, outChannels);
  });
  weight('head.conv', [blocks.at(-1)[1], headChannels], blocks.at(-1)[1]);
  bn('head.bn', headChannels);
  weight('classifier', [headChannels, numClasses], headChannels);
  params.set('classifier.bias', tf.variable(tf.zeros([numClasses]), true));
  return { params, stats };
}

// Swish and training-mode batch norm with closed-form gradients, as @supernas/elastic writes
// them (autodiff through the broadcasts takes about twice as many full-size ops).
const composedSwish = tf.customGrad((x, save) => {
  const sigmoid = tf.sigmoid(x);
  const value = tf.mul(x, sigmoid);
  save([sigmoid, value]);
  return {
    value,
    gradFunc: (dy, [s, y]) => tf.mul(dy, tf.add(s, tf.sub(y, tf.mul(y, s)))),
  };
});

const axes = [0, 1, 2];
const composedBatchNormTraining = tf.customGrad((x, gamma, beta, save) => {
  const centered = tf.sub(x, tf.mean(x, axes));
  const inverseStd = tf.rsqrt(tf.add(tf.mean(tf.square(centered), axes), 1e-5));
  const scale = tf.mul(gamma, inverseStd);
  save([centered, inverseStd, scale]);
  return {
    value: tf.add(tf.mul(centered, scale), beta),
    gradFunc: (dy, [savedCentered, savedInverseStd, savedScale]) => {
      const count = x.size / x.shape[3];
      const dBeta = tf.sum(dy, axes);
      const dGamma = tf.mul(tf.sum(tf.mul(dy, savedCentered), axes), savedInverseStd);
      const shift = tf.mul(savedScale, tf.div(dBeta, -count));
      const slope = tf.mul(tf.mul(savedScale, savedInverseStd), tf.div(dGamma, -count));
      const dx = tf.add(tf.add(tf.mul(dy, savedScale), tf.mul(savedCentered, slope)), shift);
      return [dx, dGamma, dBeta];
    },
  };
});

function batchNorm(net, name, x, training, fused) {
  const gamma = net.params.get(`${name}.gamma`);
  const beta = net.params.get(`${name}.beta`);
  if (training) {
    return fused
      ? fusedBatchNormTraining(x, gamma, beta, 1e-5)
      : composedBatchNormTraining(x, gamma, beta);
  }
  return tf.batchNorm(
    x,
    net.stats.get(`${name}.mean`),
    net.stats.get(`${name}.variance`),
    beta,
    gamma,
    1e-5,
  );
}

function pointwise(x, weight) {
  const [n, h, w, c] = x.shape;
  return tf.reshape(tf.matMul(tf.reshape(x, [n * h * w, c]), weight), [n, h, w, weight.shape[1]]);
}

/**
 * Logits [N, numClasses] for images [N, H, W, 3]. `fused` runs BN and swish through this
 * package's fused ops; otherwise through tfjs ops as @supernas/elastic writes them.
 */
export function forward(net, images, training, fused = false) {
  const p = (name) => net.params.get(name);
  const swish = fused ? fusedSwish : composedSwish;
  const bn = (name, x) => batchNorm(net, name, x, training, fused);
  let x = swish(bn('stem.bn', tf.conv2d(images, p('stem.conv'), 1, 'same')));
  blocks.forEach(([inChannels, outChannels, expandRatio, kernelSize, stride, se], i) => {
    const input = x;
    let h = x;
    if (expandRatio !== 1) h = swish(bn(`b${i}.expand.bn`, pointwise(h, p(`b${i}.expand`))));
    const pad = kernelSize >> 1;
    h = tf.depthwiseConv2d(h, p(`b${i}.depthwise`), stride, [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ]);
    h = swish(bn(`b${i}.depthwise.bn`, h));
    if (se) {
      const [n, , , c] = h.shape;
      let s = tf.reshape(tf.mean(h, [1, 2], true), [n, c]);
      s = tf.relu(tf.add(tf.matMul(s, p(`b${i}.se.reduce`)), p(`b${i}.se.reduce.bias`)));
      s = tf.sigmoid(tf.add(tf.matMul(s, p(`b${i}.se.expand`)), p(`b${i}.se.expand.bias`)));
      h = tf.mul(h, tf.reshape(s, [n, 1, 1, c]));
    }
    h = bn(`b${i}.project.bn`, pointwise(h, p(`b${i}.project`)));
    x = stride === 1 && inChannels === outChannels ? tf.add(h, input) : h;
  });
  x = swish(bn('head.bn', pointwise(x, p('head.conv'))));
  const pooled = tf.mean(x, [1, 2]);
  return tf.add(tf.matMul(pooled, p('classifier')), p('classifier.bias'));
}

/** One SGD-with-momentum step on cross-entropy; returns the loss value. */
export function createTrainer(net, { learningRate = 0.05, fused = false } = {}) {
  const optimizer = tf.train.momentum(learningRate, 0.9);
  const variables = [...net.params.values()];
  return (images, labels) => {
    const loss = optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(labels, forward(net, images, true, fused)),
      true,
      variables,
    );
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  };
}

export function disposeNet(net) {
  for (const variable of [...net.params.values(), ...net.stats.values()]) variable.dispose();
}

/** Seeded images in [-1, 1) and one-hot labels. */
export function makeBatch(batchSize, resolution, seed = 7) {
  const random = seededRng(seed).next;
  const pixels = new Float32Array(batchSize * resolution * resolution * 3);
  for (let i = 0; i < pixels.length; i += 1) pixels[i] = random() * 2 - 1;
  const classes = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i += 1) classes[i] = Math.floor(random() * numClasses);
  return {
    images: tf.tensor4d(pixels, [batchSize, resolution, resolution, 3]),
    labels: tf.oneHot(tf.tensor1d(classes, 'int32'), numClasses).toFloat(),
  };
}
