/** A tensor's values in row-major order with its shape. */
export interface LaidOutTensor {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/** The PyTorch -> tfjs layout change a state_dict entry needs. */
export type TorchLayout = 'conv' | 'depthwise' | 'linear' | 'asIs';

/**
 * How the tensor `name` of rank `rank` is laid out in PyTorch. Depthwise convs are known by name
 * (`depth_conv.conv.conv.weight`): their [C, 1, k, k] and a 1-input conv's [O, 1, k, k] look alike.
 */
export function torchLayoutOf(name: string, rank: number): TorchLayout {
  if (rank === 4) return name.endsWith('depth_conv.conv.conv.weight') ? 'depthwise' : 'conv';
  if (rank === 2) return 'linear';
  return 'asIs';
}

/** Moves axes: output axis i is input axis `order[i]`. */
function permute(
  values: Float32Array,
  shape: readonly number[],
  order: readonly number[],
): LaidOutTensor {
  const rank = shape.length;
  const outShape = order.map((axis) => shape[axis] as number);
  const inStrides = new Array<number>(rank).fill(1);
  for (let axis = rank - 2; axis >= 0; axis--) {
    inStrides[axis] = (inStrides[axis + 1] as number) * (shape[axis + 1] as number);
  }
  const strides = order.map((axis) => inStrides[axis] as number);
  const out = new Float32Array(values.length);
  if (rank === 2) {
    const [rows, cols] = outShape as [number, number];
    const [s0, s1] = strides as [number, number];
    let o = 0;
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) out[o++] = values[i * s0 + j * s1] as number;
    return { values: out, shape: outShape };
  }
  const [d0, d1, d2, d3] = outShape as [number, number, number, number];
  const [s0, s1, s2, s3] = strides as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < d0; a++) {
    for (let b = 0; b < d1; b++) {
      for (let c = 0; c < d2; c++) {
        const base = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < d3; d++) out[o++] = values[base + d * s3] as number;
      }
    }
  }
  return { values: out, shape: outShape };
}

/**
 * Converts one PyTorch tensor to the tfjs layout of the supernet: OIHW conv -> HWIO, depthwise
 * [C, 1, k, k] -> [k, k, C, 1], linear [out, in] -> [in, out]; vectors (BN, biases) as they are.
 */
export function torchToTfjsLayout(
  layout: TorchLayout,
  values: Float32Array,
  shape: readonly number[],
): LaidOutTensor {
  switch (layout) {
    case 'conv':
      return permute(values, shape, [2, 3, 1, 0]);
    case 'depthwise':
      return permute(values, shape, [2, 3, 0, 1]);
    case 'linear':
      return permute(values, shape, [1, 0]);
    case 'asIs':
      return { values, shape };
  }
}
