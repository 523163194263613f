import * as tf from '@tensorflow/tfjs-core';
import { type AttrValue, attr, type GraphNodeDef, tfDataType } from './graph-def.js';

export const floatType = attr.type('DT_FLOAT');
export const nhwc = attr.string('NHWC');

export interface GraphConstant {
  readonly name: string;
  readonly tensor: tf.Tensor;
  /** True for tensors the builder made (shapes, paddings, scalars), which it must free. */
  readonly owned: boolean;
}

/**
 * Accumulates GraphDef nodes with unique, TF-legal names, and the tensors of their Const nodes
 * (each weight or small constant once, however often it is read).
 */
export class GraphBuilder {
  readonly nodes: GraphNodeDef[] = [];
  readonly constants: GraphConstant[] = [];
  private readonly usedNames: Set<string>;
  private readonly constantByKey = new Map<string, string>();

  constructor(
    private readonly weights: ReadonlyMap<string, tf.Tensor>,
    reservedNames: readonly string[],
  ) {
    this.usedNames = new Set(reservedNames);
  }

  /** `base` made legal for a TF node name (`[A-Za-z0-9.][A-Za-z0-9_.\-/]*`) and unused. */
  uniqueName(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_.\-/]/g, '_').replace(/^[^A-Za-z0-9.]/, 'n$&');
    let name = clean;
    for (let index = 1; this.usedNames.has(name); index++) name = `${clean}_${index}`;
    this.usedNames.add(name);
    return name;
  }

  add(
    name: string,
    op: string,
    input: string[],
    attributes: Record<string, AttrValue> = {},
  ): string {
    this.nodes.push({ name, op, input, attr: attributes });
    return name;
  }

  /** The Const node of subnet weight `name`. */
  weight(name: string): string {
    return this.constant(`weight:${name}`, name, () => ({
      tensor: this.weights.get(name) as tf.Tensor,
      owned: false,
    }));
  }

  /** [[0, 0], [p, p], [p, p], [0, 0]] for a Pad op. */
  symmetricPaddings(padding: number): string {
    return this.made(`paddings:${padding}`, `const/paddings_${padding}`, () =>
      tf.tensor2d([0, 0, padding, padding, padding, padding, 0, 0], [4, 2], 'int32'),
    );
  }

  scalar(value: number, label: string): string {
    return this.made(`scalar:${value}`, `const/${label}`, () => tf.scalar(value, 'float32'));
  }

  int32Vector(values: readonly number[], label: string): string {
    return this.made(`int32:${values.join(',')}`, `const/${label}`, () =>
      tf.tensor1d([...values], 'int32'),
    );
  }

  disposeOwned(): void {
    for (const { tensor, owned } of this.constants) if (owned) tensor.dispose();
  }

  private made(key: string, base: string, tensor: () => tf.Tensor): string {
    return this.constant(key, base, () => ({ tensor: tensor(), owned: true }));
  }

  private constant(
    key: string,
    base: string,
    make: () => { tensor: tf.Tensor; owned: boolean },
  ): string {
    const existing = this.constantByKey.get(key);
    if (existing !== undefined) return existing;
    const { tensor, owned } = make();
    const name = this.uniqueName(base);
    const dtype = tfDataType(tensor.dtype);
    this.add(name, 'Const', [], {
      dtype: attr.type(dtype),
      value: attr.tensor(dtype, tensor.shape),
    });
    this.constants.push({ name, tensor, owned });
    this.constantByKey.set(key, name);
    return name;
  }
}
