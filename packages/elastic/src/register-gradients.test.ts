import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { registerGradients } from './register-gradients.js';

describe('registerGradients', () => {
  it('makes conv2d differentiable with the expected gradient', async () => {
    await registerGradients();
    await tf.setBackend('cpu');
    const x = tf.ones([1, 3, 3, 1]);
    const filter = tf.ones([3, 3, 1, 1]);
    const grad = tf.grad((input) =>
      tf.sum(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same')),
    );
    const dx = grad(x);
    // Each input pixel contributes to as many outputs as its 'same'-padded neighbourhood covers.
    expect(Array.from(dx.dataSync())).toEqual([4, 6, 4, 6, 9, 6, 4, 6, 4]);
    tf.dispose([x, filter, dx]);
  });
});
