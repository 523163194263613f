import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  BatchMatMul,
  type BatchMatMulAttrs,
  broadcast_util,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { activationCode } from './activation.js';
import {
  floatValues,
  type NativeKernel,
  type NativeKernelArgs,
  sizeOfShape,
} from './native-kernel.js';

function matMul(
  { inputs, backend, attrs, addon }: NativeKernelArgs,
  fused: boolean,
): TensorInfo | undefined {
  const { a, b, bias, preluActivationWeights } = inputs;
  if (a === undefined || b === undefined || preluActivationWeights !== undefined) return undefined;
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  const activation = fused ? activationCode((attrs as unknown as _FusedMatMulAttrs).activation) : 0;
  if (activation === undefined) return undefined;
  // The cpu kernel turns a missing leakyrelu alpha into NaN; leave that case to it.
  if (fused && activation === 4 && attrs.leakyreluAlpha == null) return undefined;
  const aValues = floatValues(backend, a);
  const bValues = floatValues(backend, b);
  if (aValues === undefined || bValues === undefined) return undefined;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const inner = transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const innerB = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  const rows = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const columns = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  if (inner === undefined || rows === undefined || columns === undefined || inner !== innerB) {
    return undefined;
  }
  const batchA = sizeOfShape(a.shape.slice(0, -2));
  const batchB = sizeOfShape(b.shape.slice(0, -2));
  const outShape = broadcast_util
    .assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2))
    .concat([rows, columns]);
  // tfjs indexes batches modulo each side's batch count; shapes that broadcast otherwise go to cpu.
  if (sizeOfShape(outShape) !== Math.max(batchA, batchB) * rows * columns) return undefined;
  let biasValues: Float32Array | null = null;
  if (bias !== undefined) {
    const values = floatValues(backend, bias);
    if (values === undefined) return undefined;
    // A bias along the last axis (or a scalar); other broadcasts go to the cpu kernel.
    const rowBias = values.length === columns && bias.shape.slice(0, -1).every((dim) => dim === 1);
    if (!rowBias && values.length !== 1) return undefined;
    biasValues = values;
  }
  const alpha =
    activation === 4 ? Number((attrs as unknown as _FusedMatMulAttrs).leakyreluAlpha) : 0;
  const out = backend.allocate(sizeOfShape(outShape));
  const dims = [batchA, batchB, rows, columns, inner, transposeA ? 1 : 0, transposeB ? 1 : 0];
  addon.matmul(aValues, bValues, biasValues, out, dims, activation, alpha);
  return backend.makeTensorInfo(outShape, 'float32', out);
}

/** BatchMatMul and _FusedMatMul (bias + activation) through oneDNN's sgemm. */
export const matmulKernels: readonly NativeKernel[] = [
  { kernelName: BatchMatMul, run: (args) => matMul(args, false) },
  { kernelName: _FusedMatMul, run: (args) => matMul(args, true) },
];
