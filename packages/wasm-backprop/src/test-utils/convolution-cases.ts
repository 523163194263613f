import type * as tf from '@tensorflow/tfjs-core';
import { wasmGradientMismatch } from './backend-gradients.js';

export type Padding = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

export interface ConvolutionCase {
  name: string;
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  kernelSize: number;
  stride: number;
  pad: Padding;
  seed: number;
}

/**
 * Kernel sizes 1/3/5/7, strides 1/2, 'same', 'valid', explicit symmetric and numeric padding,
 * odd and even spatial sizes (non-square), batch and channels above 1, channel counts that are
 * not multiples of four (the SIMD kernels' scalar tails). No dimRoundingMode: tfjs' gradients
 * drop it (see the kernels' own rounding tests).
 */
export function convolutionCases(): ConvolutionCase[] {
  const cases: ConvolutionCase[] = [];
  let seed = 1;
  for (const kernelSize of [1, 3, 5, 7]) {
    for (const stride of [1, 2]) {
      const half = Math.floor(kernelSize / 2);
      const pads: Padding[] = [
        'same',
        'valid',
        [
          [0, 0],
          [half, half],
          [half, half],
          [0, 0],
        ],
        1,
      ];
      for (const pad of pads) {
        for (const [height, width] of [
          [8, 9],
          [9, 7],
        ] as const) {
          seed += 1;
          const batch = 2 + (seed % 2);
          const inChannels = 3 + (seed % 4);
          cases.push({
            name: `k${kernelSize} s${stride} pad ${JSON.stringify(pad)} ${batch}x${height}x${width}x${inChannels}`,
            batch,
            height,
            width,
            inChannels,
            kernelSize,
            stride,
            pad,
            seed,
          });
        }
      }
    }
  }
  return cases;
}

/** The forward shapes of a case: `[N, H, W, C]` and the filter for `outChannels` (conv2d) or a multiplier. */
export function caseShapes(
  testCase: ConvolutionCase,
  filterLast: number,
): { inputShape: number[]; filterShape: number[] } {
  const { batch, height, width, inChannels, kernelSize } = testCase;
  return {
    inputShape: [batch, height, width, inChannels],
    filterShape: [kernelSize, kernelSize, inChannels, filterLast],
  };
}

/**
 * Runs every case through `apply` on cpu and wasm and returns the cases whose gradients (of the
 * arguments in `differentiate`: 0 the input, 1 the filter) differ by more than `tolerance` (absolute).
 */
export async function convolutionFailures(
  filterLast: number,
  differentiate: number[],
  apply: (testCase: ConvolutionCase, x: tf.Tensor4D, filter: tf.Tensor4D) => tf.Tensor,
  tolerance = 1e-4,
): Promise<string[]> {
  const failures: string[] = [];
  for (const testCase of convolutionCases()) {
    const { inputShape, filterShape } = caseShapes(testCase, filterLast);
    const mismatch = await wasmGradientMismatch(
      {
        shapes: [inputShape, filterShape],
        apply: (x, filter) => apply(testCase, x as tf.Tensor4D, filter as tf.Tensor4D),
        differentiate,
        seed: testCase.seed,
      },
      { rtol: 0, atol: tolerance },
    );
    if (mismatch !== undefined) failures.push(`${testCase.name}: ${mismatch}`);
  }
  return failures;
}
