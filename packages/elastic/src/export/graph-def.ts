/**
 * The JSON form of TensorFlow's GraphDef that tfjs graph models carry as `modelTopology`
 * (protobuf JSON: int64 as strings, bytes as base64), restricted to what the exporter writes.
 */
export interface GraphNodeDef {
  readonly name: string;
  readonly op: string;
  readonly input: readonly string[];
  readonly attr: Readonly<Record<string, AttrValue>>;
}

export type AttrValue =
  | { readonly type: TfDataType }
  | { readonly s: string }
  | { readonly b: boolean }
  | { readonly f: number }
  | { readonly i: string }
  | { readonly list: { readonly i: readonly string[] } }
  | { readonly shape: TensorShapeJson }
  | { readonly tensor: { readonly dtype: TfDataType; readonly tensorShape: TensorShapeJson } };

export type TfDataType = 'DT_FLOAT' | 'DT_INT32';

export interface TensorShapeJson {
  readonly dim?: readonly { readonly size: string }[];
}

export interface GraphDefJson {
  readonly node: readonly GraphNodeDef[];
  readonly library: Record<string, never>;
  readonly versions: { readonly producer: number; readonly minConsumer?: number };
}

/** tfjs dtype to TF's. */
export function tfDataType(dtype: string): TfDataType {
  if (dtype === 'float32') return 'DT_FLOAT';
  if (dtype === 'int32') return 'DT_INT32';
  throw new RangeError(
    `tfDataType: dtype '${dtype}' has no graph-model mapping, expected float32 or int32`,
  );
}

export const attr = {
  type: (dtype: TfDataType): AttrValue => ({ type: dtype }),
  /** Protobuf JSON stores bytes fields, such as strings, in base64. */
  string: (value: string): AttrValue => ({ s: btoa(value) }),
  bool: (value: boolean): AttrValue => ({ b: value }),
  float: (value: number): AttrValue => ({ f: value }),
  ints: (values: readonly number[]): AttrValue => ({ list: { i: values.map(String) } }),
  shape: (dims: readonly number[]): AttrValue => ({ shape: tensorShape(dims) }),
  tensor: (dtype: TfDataType, dims: readonly number[]): AttrValue => ({
    tensor: { dtype, tensorShape: tensorShape(dims) },
  }),
};

export function tensorShape(dims: readonly number[]): TensorShapeJson {
  return dims.length === 0 ? {} : { dim: dims.map((size) => ({ size: String(size) })) };
}
