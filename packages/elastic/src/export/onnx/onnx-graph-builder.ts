import * as tf from '@tensorflow/tfjs-core';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type NodeProto = onnxProto.onnx.INodeProto;
type AttributeProto = onnxProto.onnx.IAttributeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** An attribute value as the exporter writes them: a float, an int, or a list of ints. */
export type OnnxAttributeValue = number | { readonly int: number } | readonly number[];

/** The tensor of an initializer still in tfjs, filled in by `finish` (reading it back is async). */
interface PendingInitializer {
  readonly proto: TensorProto;
  readonly tensor: tf.Tensor;
}

/**
 * Accumulates ONNX nodes and initializers with unique names: each weight (in each layout it is
 * needed) and each constant is stored once, however often it is read.
 */
export class OnnxGraphBuilder {
  readonly nodes: NodeProto[] = [];
  private readonly pending: PendingInitializer[] = [];
  private readonly usedNames: Set<string>;
  private readonly initializerByKey = new Map<string, string>();

  constructor(reservedNames: readonly string[]) {
    this.usedNames = new Set(reservedNames);
  }

  /** `base`, or `base_<n>` when that is taken. */
  uniqueName(base: string): string {
    let name = base;
    for (let index = 1; this.usedNames.has(name); index++) name = `${base}_${index}`;
    this.usedNames.add(name);
    return name;
  }

  /**
   * Appends a node named `output` (one output per node, so its name is the tensor's) and
   * returns that name. Integers are given as `{ int }` or as arrays (always INTS); a bare
   * number is a FLOAT.
   */
  add(
    opType: string,
    inputs: readonly string[],
    output: string,
    attributes: Readonly<Record<string, OnnxAttributeValue>> = {},
  ): string {
    this.nodes.push({
      name: output,
      opType,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return output;
  }

  /**
   * The initializer holding `make()` (a float32 tfjs tensor this builder then owns) under a
   * name derived from `base`; `key` identifies the value, so asking twice gives one initializer.
   */
  initializer(key: string, base: string, make: () => tf.Tensor): string {
    const existing = this.initializerByKey.get(key);
    if (existing !== undefined) return existing;
    const tensor = make();
    const name = this.uniqueName(base);
    this.pending.push({
      proto: { name, dims: [...tensor.shape], dataType: onnx.TensorProto.DataType.FLOAT },
      tensor,
    });
    this.initializerByKey.set(key, name);
    return name;
  }

  /** A float32 scalar initializer. */
  scalar(value: number, label: string): string {
    return this.initializer(`scalar:${value}`, `const/${label}`, () => tf.scalar(value));
  }

  /** The initializers with their values read back (little-endian float32 `raw_data`). */
  async finish(): Promise<TensorProto[]> {
    const initializers: TensorProto[] = [];
    for (const { proto, tensor } of this.pending) {
      const values = (await tensor.data()) as Float32Array;
      const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
      initializers.push({ ...proto, rawData: bytes.slice() });
    }
    return initializers;
  }

  dispose(): void {
    for (const { tensor } of this.pending) if (!tensor.isDisposed) tensor.dispose();
  }
}

function attribute(name: string, value: OnnxAttributeValue): AttributeProto {
  const { AttributeType } = onnx.AttributeProto;
  if (typeof value === 'number') return { name, type: AttributeType.FLOAT, f: value };
  if ('int' in value) return { name, type: AttributeType.INT, i: value.int };
  return { name, type: AttributeType.INTS, ints: [...(value as readonly number[])] };
}
