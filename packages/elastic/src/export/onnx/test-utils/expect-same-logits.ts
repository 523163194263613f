import type { ArchConfig } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { disposeStaticSubnet } from '../../../dispose-static-subnet.js';
import { extractSubnet } from '../../../extract-subnet.js';
import { randomizeVariables } from '../../../io/test-utils/randomize-variables.js';
import { runStaticSubnet } from '../../../run-static-subnet.js';
import type { Supernet } from '../../../types.js';
import { exportOnnx } from '../export-onnx.js';
import { maxAbsoluteDifference } from './run-onnx.js';

/** Runs ONNX model bytes on an input and gives the `logits` output (onnxruntime-node or -web). */
export type OnnxRunner = (bytes: Uint8Array, input: tf.Tensor) => Promise<tf.Tensor>;

/**
 * Random BN statistics and affines, with each block's last BN gamma near 0.3: undamped residual
 * branches make a deep random subnet chaotic, and float32 rounding alone then moves its logits
 * by more than any tolerance.
 */
export function randomizeDamped(supernet: Supernet, seed: number): void {
  randomizeVariables(supernet, seed);
  for (const [name, variable] of supernet.variables) {
    if (name.includes('.point_linear.bn.') && name.endsWith('.weight'))
      tf.tidy(() => variable.assign(tf.mul(variable, 0.3)));
  }
}

/**
 * Exports `arch` of `supernet` to ONNX, runs it with `run` on a seeded batch of 2 and expects
 * runStaticSubnet's logits within 1e-4 absolute and 1e-5 relative to the largest logit.
 */
export async function expectSameLogits(
  supernet: Supernet,
  arch: ArchConfig,
  seed: number,
  run: OnnxRunner,
  runtime: string,
): Promise<void> {
  const before = tf.memory().numTensors;
  const subnet = extractSubnet(supernet, arch);
  const { resolution } = arch;
  const input = tf.randomNormal([2, resolution, resolution, 3], 0, 1, 'float32', seed);
  const expected = runStaticSubnet(subnet, input as tf.Tensor4D);
  const actual = await run(await exportOnnx(subnet), input);
  expect(actual.shape).toEqual(expected.shape);
  const difference = maxAbsoluteDifference(actual, expected);
  const scale = tf.tidy(() => tf.max(tf.abs(expected)).dataSync()[0] as number);
  console.info(
    `exportOnnx ${supernet.space.name} r${resolution} in ${runtime}: max |onnx - runStaticSubnet| ${difference.toExponential(2)} (max |logit| ${scale.toFixed(2)})`,
  );
  expect(difference).toBeLessThan(1e-4);
  // Random weights give small logits: the relative bound keeps the check meaningful.
  expect(difference / scale).toBeLessThan(1e-5);
  tf.dispose([input, expected, actual]);
  disposeStaticSubnet(subnet);
  expect(tf.memory().numTensors).toBe(before);
}
