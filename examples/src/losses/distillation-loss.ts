import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createSupernet, registerGradients } from '@supernas/elastic';
import { adaptiveAlphaDivergence, crossEntropyWithLabelSmoothing } from '@supernas/losses';
import { createRng, maxArch as largest, sampleArch, tinySpace } from '@supernas/search-space';

await registerGradients();
const supernet = createSupernet(tinySpace, { numClasses: 10, seed: 0 });
const maxArch = largest(tinySpace);
const arch = { ...sampleArch(tinySpace, createRng(1)), resolution: maxArch.resolution };
const images = tf.randomUniform([4, maxArch.resolution, maxArch.resolution, 3]) as tf.Tensor4D;
const labels = tf.tensor1d([1, 2, 3, 4], 'int32');

const { value, grads } = tf.variableGrads(() => {
  const teacherLogits = supernet.apply(images, maxArch, { training: true });
  const hardLoss = crossEntropyWithLabelSmoothing(teacherLogits, labels, { smoothing: 0.1 });
  const studentLogits = supernet.apply(images, arch, { training: true });
  // Per sample max(D_-1, D_1), importance weights clipped at 5, as AlphaNet.
  const softLoss = adaptiveAlphaDivergence(studentLogits, teacherLogits, {
    alphaMin: -1,
    alphaMax: 1,
    clip: 5,
  });
  return tf.add(hardLoss, softLoss) as tf.Scalar;
});
console.log(`loss ${value.dataSync()[0]?.toFixed(4)}, ${Object.keys(grads).length} gradients`);
tf.dispose([images, labels, value, grads]);
supernet.dispose();
