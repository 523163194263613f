import type { SearchSpace } from '@supernas/search-space';
import { supernetLayout } from '../../supernet-layout.js';
import type { TorchDump, TorchDumpManifest, TorchDumpTensor } from '../torch-dump-format.js';
import { torchLayoutOf } from '../torch-to-tfjs-layout.js';

/** The PyTorch shape of a weight whose tfjs shape is `shape`. */
export function torchShapeOf(name: string, shape: readonly number[]): number[] {
  const [a, b, c, d] = shape as [number, number, number, number];
  const layout = torchLayoutOf(name, shape.length);
  if (layout === 'conv') return [d, c, a, b];
  if (layout === 'depthwise') return [c, d, a, b];
  if (layout === 'linear') return [b, a];
  return [...shape];
}

export interface FakeTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/**
 * A dump in PyTorch layout for the supernet of `space`, as `tools/import_torch.py` would write it;
 * element i of tensor t is `t + i / 1000`, so any misplaced value shows. `edit` may change the list.
 */
export function makeTorchDump(
  space: SearchSpace,
  numClasses: number,
  edit: (tensors: FakeTensor[]) => FakeTensor[] = (tensors) => tensors,
): TorchDump {
  const layout = supernetLayout(space, numClasses, 3);
  const base = layout.parameters.map((spec, index) => {
    const shape = torchShapeOf(spec.name, spec.shape);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = index + i / 1000;
    return { name: spec.name, shape, values };
  });
  const tensors = edit(base);
  const total = tensors.reduce((sum, tensor) => sum + tensor.values.length, 0);
  const data = new Float32Array(total);
  const entries: TorchDumpTensor[] = [];
  let offset = 0;
  for (const tensor of tensors) {
    data.set(tensor.values, offset);
    entries.push({
      name: tensor.name,
      shape: tensor.shape,
      dtype: 'float32',
      offset: offset * 4,
      length: tensor.values.length * 4,
    });
    offset += tensor.values.length;
  }
  const manifest: TorchDumpManifest = {
    format: 'supernas-torch-dump',
    formatVersion: 1,
    space,
    numClasses,
    inputChannels: 3,
    tensors: entries,
  };
  return { manifest, data: data.buffer };
}
