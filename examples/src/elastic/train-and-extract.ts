import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  calibrateBatchNorm,
  createSupernet,
  disposeStaticSubnet,
  extractSubnet,
  registerGradients,
  runStaticSubnet,
} from '@supernas/elastic';
import { crossEntropyWithLabelSmoothing } from '@supernas/losses';
import { maxArch, tinySpace } from '@supernas/search-space';

await registerGradients(); // tfjs-core alone registers no gradients
const supernet = createSupernet(tinySpace, { numClasses: 10, seed: 0 });
const arch = maxArch(tinySpace); // images must be [N, arch.resolution, arch.resolution, 3]
const shape: [number, number, number, number] = [4, arch.resolution, arch.resolution, 3];
const images = tf.randomUniform(shape, -1, 1, 'float32', 1) as tf.Tensor4D;
const labels = tf.tensor1d([0, 3, 5, 9], 'int32');
const { value, grads } = tf.variableGrads(() =>
  crossEntropyWithLabelSmoothing(supernet.apply(images, arch, { training: true }), labels),
);
const calibrationBatches = [0, 1].map(
  (seed) => tf.randomUniform(shape, -1, 1, 'float32', seed) as tf.Tensor4D,
);
await calibrateBatchNorm(supernet, arch, calibrationBatches); // before evaluating a subnet
const logits = supernet.apply(images, arch, { training: false });
const subnet = extractSubnet(supernet, arch); // same eval output, owns its weights
const subnetLogits = runStaticSubnet(subnet, images);
const difference = tf.tidy(() => tf.max(tf.abs(tf.sub(logits, subnetLogits))).dataSync()[0]);
console.log(
  `loss ${value.dataSync()[0]?.toFixed(4)}, ${Object.keys(grads).length} gradients, ` +
    `subnet logits within ${difference} of the supernet's`,
);
tf.dispose([images, labels, value, grads, calibrationBatches, logits, subnetLogits]);
disposeStaticSubnet(subnet);
supernet.dispose();
