// Under mpirun: gradients of each rank's shard, averaged by allreduceGradients, against what one
// process computes from the whole global batch (a model without batch statistics) and from each
// shard separately (the micro supernet, whose BN normalises with each shard's own statistics).
import { createSupernet, registerGradients } from '@supernas/elastic';
import { crossEntropyWithLabelSmoothing } from '@supernas/losses';
import { createRng, maxArch } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mpiCollective } from '../../dist/index.js';
import { allreduceGradients } from '../../dist/tfjs/index.js';
import { globalBatch, microSpace, shardOf } from './micro.mjs';
import { writeResult } from './result.mjs';

await registerGradients();
await tf.setBackend('cpu');
const collective = mpiCollective({ timeoutSeconds: 300 });
const { rank, size } = collective;

/** Gradients of `loss(images, labels)` for `variables`, keyed by the map's names. */
function gradientsOf(variables, loss, batch) {
  return tf.tidy(() => {
    const images = tf.tensor(batch.images, batch.shape);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const names = new Map([...variables].map(([name, variable]) => [variable.name, name]));
    const { value, grads } = tf.variableGrads(() => loss(images, labels), [...variables.values()]);
    value.dispose();
    return Object.fromEntries(Object.entries(grads).map(([key, grad]) => [names.get(key), grad]));
  });
}

function mean(first, second) {
  return Object.fromEntries(
    Object.keys(first).map((name) => [name, tf.div(tf.add(first[name], second[name]), 2)]),
  );
}

/** The largest absolute difference over all tensors, and the largest absolute value of `b`. */
function compare(a, b) {
  let maxDifference = 0;
  let maxValue = 0;
  for (const name of Object.keys(b)) {
    const left = a[name].dataSync();
    const right = b[name].dataSync();
    for (let index = 0; index < right.length; index++) {
      maxDifference = Math.max(maxDifference, Math.abs(left[index] - right[index]));
      maxValue = Math.max(maxValue, Math.abs(right[index]));
    }
  }
  return { maxDifference, maxValue };
}

// A two-layer perceptron: no batch statistics, so the mean of the shards' mean-loss gradients
// is the gradient of the global batch's mean loss.
const globalSize = 8;
const rng = createRng(5);
const random = (shape) =>
  tf.tensor(
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() - 0.5),
    shape,
  );
const perceptron = new Map([
  ['dense1.weight', tf.variable(random([144, 16]))],
  ['dense1.bias', tf.variable(random([16]))],
  ['dense2.weight', tf.variable(random([16, 2]))],
  ['dense2.bias', tf.variable(random([2]))],
]);
const perceptronLoss = (images, labels) => {
  const flat = tf.reshape(images, [images.shape[0], -1]);
  const hidden = tf.relu(
    tf.add(tf.matMul(flat, perceptron.get('dense1.weight')), perceptron.get('dense1.bias')),
  );
  const logits = tf.add(
    tf.matMul(hidden, perceptron.get('dense2.weight')),
    perceptron.get('dense2.bias'),
  );
  return crossEntropyWithLabelSmoothing(logits, labels, { smoothing: 0 });
};
const batch = globalBatch(0, globalSize);
const plainReduced = await allreduceGradients(
  gradientsOf(perceptron, perceptronLoss, shardOf(batch, rank, size)),
  collective,
);
const plainGlobal = gradientsOf(perceptron, perceptronLoss, batch);

// The micro supernet in training mode: BN uses each shard's own statistics.
const supernet = createSupernet(microSpace, { numClasses: 2, inputChannels: 1, seed: 4 });
const trainable = new Map(
  supernet.trainableNames.map((name) => [name, supernet.variables.get(name)]),
);
const arch = maxArch(microSpace);
const supernetLoss = (images, labels) =>
  crossEntropyWithLabelSmoothing(supernet.apply(images, arch, { training: true }), labels, {
    smoothing: 0,
  });
const bnReduced = await allreduceGradients(
  gradientsOf(trainable, supernetLoss, shardOf(batch, rank, size)),
  collective,
  { bucketBytes: 4096 },
);
const shards = Array.from({ length: size }, (_, peer) =>
  gradientsOf(trainable, supernetLoss, shardOf(batch, peer, size)),
);
const bnMeanOfShards = size === 2 ? mean(shards[0], shards[1]) : undefined;
const bnGlobal = gradientsOf(trainable, supernetLoss, batch);

writeResult({
  rank,
  size,
  plain: compare(plainReduced, plainGlobal),
  bnToMeanOfShards: bnMeanOfShards && compare(bnReduced, bnMeanOfShards),
  bnToGlobal: compare(bnReduced, bnGlobal),
});
await collective.close();
