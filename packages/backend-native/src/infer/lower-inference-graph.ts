import { formatValue, SupernasError } from '@supernas/errors';
import { assignBuffers, type ValueOp } from './assign-buffers.js';
import {
  type InferenceNode,
  type InferenceWeight,
  type PlanSpec,
  planActivation,
} from './inference-graph.js';

/**
 * Thrown when a graph holds something the compiled plan does not run (an unknown node, a
 * broadcast other than the SE gate's, a pool with ceil mode). `runStaticSubnet` then runs the
 * graph op by op, which gives the same result or the error that names the problem.
 */
export class StaticSubnetUnsupportedError extends SupernasError {
  override readonly name = 'StaticSubnetUnsupportedError';
  constructor(readonly detail: string) {
    super(`SupernasStaticSubnet: cannot compile the graph: ${detail}`, {
      code: 'static_subnet_unsupported',
    });
  }
}

type ConvNode = Extract<InferenceNode, { kind: 'conv2d' }>;
type Shape = readonly number[];

const fusedPostOps = new Set(['swish', 'sigmoid']);

function activationCode(node: InferenceNode, activation: string): number {
  const code = (planActivation as Record<string, number>)[activation];
  if (code === undefined || activation === 'linear')
    throw new StaticSubnetUnsupportedError(`node ${node.output}: activation ${activation}`);
  return code;
}

const sizeOf = (shape: Shape): number => shape.reduce((product, dim) => product * dim, 1);
const sameShape = (a: Shape, b: Shape): boolean =>
  a.length === b.length && a.every((dim, axis) => dim === b[axis]);

/** Per-channel scale and shift of an inference batch norm, rounded as tfjs' ops round them. */
function batchNormAffine(
  node: Extract<InferenceNode, { kind: 'batchNorm' }>,
  weight: (name: string) => InferenceWeight,
  channels: number,
): { scale: Float32Array; shift: Float32Array } {
  const [gamma, beta, mean, variance] = [node.gamma, node.beta, node.mean, node.variance].map(
    (name) => weight(name).values,
  ) as [Float32Array, Float32Array, Float32Array, Float32Array];
  if ([gamma, beta, mean, variance].some((values) => values.length !== channels))
    throw new StaticSubnetUnsupportedError(`batch norm ${node.output} is not per-channel`);
  const scale = new Float32Array(channels);
  const shift = new Float32Array(channels);
  const epsilon = Math.fround(node.epsilon);
  for (let c = 0; c < channels; c++) {
    const inverseStd = Math.fround(1 / Math.sqrt(Math.fround((variance[c] as number) + epsilon)));
    scale[c] = Math.fround((gamma[c] as number) * inverseStd);
    shift[c] = Math.fround((beta[c] as number) - Math.fround((mean[c] as number) * scale[c]!));
  }
  return { scale, shift };
}

/**
 * Lowers a static inference graph, for an input of shape `inputShape` (NHWC), to a plan the
 * native side builds once and runs in one call: batch norms folded into the convolution before
 * them, swish / sigmoid and residual additions fused into the convolution as oneDNN post-ops,
 * other activations run on its output in place, and buffers reused once their values are dead.
 * Throws `StaticSubnetUnsupportedError` for anything it does not run.
 */
export function lowerInferenceGraph(
  nodes: readonly InferenceNode[],
  weights: ReadonlyMap<string, InferenceWeight>,
  inputShape: Shape,
): PlanSpec {
  if (inputShape.length !== 4 || inputShape.some((dim) => !Number.isInteger(dim) || dim < 1))
    throw new StaticSubnetUnsupportedError(`input shape ${formatValue(inputShape)}`);
  const weight = (name: string): InferenceWeight => {
    const found = weights.get(name);
    if (found === undefined) throw new StaticSubnetUnsupportedError(`weight ${name} is missing`);
    return found;
  };
  const readers = new Map<string, InferenceNode[]>();
  for (const node of nodes) {
    for (const input of 'inputs' in node ? node.inputs : [node.input])
      readers.set(input, [...(readers.get(input) ?? []), node]);
  }
  /** The node that alone reads `value`, unless the value is the graph's output. */
  const soleReader = (value: string): InferenceNode | undefined => {
    const list = readers.get(value);
    return value !== 'logits' && list?.length === 1 ? list[0] : undefined;
  };

  const shapes = new Map<string, Shape>([['input', inputShape]]);
  const shapeOf = (node: InferenceNode, value: string): Shape => {
    const shape = shapes.get(value);
    if (shape === undefined)
      throw new StaticSubnetUnsupportedError(
        `node ${node.output} reads ${value} before it is made`,
      );
    return shape;
  };
  const planWeights: Float32Array[] = [];
  const addWeight = (values: Float32Array): number => planWeights.push(values) - 1;
  const absorbed = new Set<InferenceNode>();
  const groups: { at: number; op: ValueOp }[] = [];
  const aliases = new Map<string, string>();
  const residualChecks: { residual: string; shape: Shape; output: string }[] = [];

  const convGroup = (node: ConvNode, index: number): void => {
    const input = shapeOf(node, node.input);
    if (input.length !== 4) throw new StaticSubnetUnsupportedError(`conv ${node.output} input`);
    const [batch, height, width, channels] = input as [number, number, number, number];
    const filter = weight(node.weight);
    const [kH, kW, inChannels, last] = filter.shape as [number, number, number, number];
    if (filter.shape.length !== 4 || inChannels !== channels)
      throw new StaticSubnetUnsupportedError(
        `conv ${node.output}: weight ${formatValue(filter.shape)} for input ${formatValue(input)}`,
      );
    const outChannels = node.depthwise ? channels * last : last;
    const outHeight = Math.floor((height + 2 * node.padding - kH) / node.stride) + 1;
    const outWidth = Math.floor((width + 2 * node.padding - kW) / node.stride) + 1;
    if (outHeight < 1 || outWidth < 1)
      throw new StaticSubnetUnsupportedError(`conv ${node.output}: empty output`);
    let filterValues = filter.values;
    let bias = node.bias === undefined ? undefined : weight(node.bias).values;
    if (bias !== undefined && bias.length !== outChannels)
      throw new StaticSubnetUnsupportedError(`conv ${node.output}: bias size`);
    let output = node.output;
    let at = index;
    let next = soleReader(output);
    if (next?.kind === 'batchNorm' && !absorbed.has(next)) {
      const { scale, shift } = batchNormAffine(next, weight, outChannels);
      const foldedBias = new Float32Array(outChannels);
      for (let c = 0; c < outChannels; c++)
        foldedBias[c] = (bias === undefined ? 0 : (bias[c] as number) * scale[c]!) + shift[c]!;
      // A non-finite scale or shift (variance + epsilon <= 0) runs as its own op, which keeps
      // the NaNs exactly where the op-by-op path has them. With a finite scale, folding gives
      // what the op path gives even for non-finite weights (inf * s, NaN * s).
      if (scale.every(Number.isFinite) && foldedBias.every(Number.isFinite)) {
        // w' = w * scale along the last axis (output channels; C * multiplier for depthwise).
        const folded = new Float32Array(filterValues.length);
        for (let row = 0; row < folded.length; row += outChannels) {
          for (let c = 0; c < outChannels; c++)
            folded[row + c] = (filterValues[row + c] as number) * (scale[c] as number);
        }
        filterValues = folded;
        bias = foldedBias;
        absorbed.add(next);
        output = next.output;
        at = nodes.indexOf(next);
        next = soleReader(output);
      }
    }
    let postOp: number = planActivation.linear;
    let activation: number = planActivation.linear;
    if (next?.kind === 'activation' && !absorbed.has(next)) {
      const code = activationCode(next, next.activation);
      if (fusedPostOps.has(next.activation)) postOp = code;
      else activation = code;
      absorbed.add(next);
      output = next.output;
      at = nodes.indexOf(next);
      next = soleReader(output);
    }
    let residual: string | undefined;
    const outShape = [batch, outHeight, outWidth, outChannels];
    // Another convolution may read the same add (a shortcut conv): the first one takes it.
    if (next?.kind === 'add' && !absorbed.has(next) && activation === planActivation.linear) {
      const other = next.inputs[0] === output ? next.inputs[1] : next.inputs[0];
      if (other !== output) {
        residual = other;
        absorbed.add(next);
        output = next.output;
        at = nodes.indexOf(next);
        // The residual may be made after this convolution; its shape is checked at the end.
        residualChecks.push({ residual, shape: outShape, output });
      }
    }
    shapes.set(output, outShape);
    // prettier-ignore
    const dims = [
      batch,
      height,
      width,
      channels,
      outHeight,
      outWidth,
      outChannels,
      kH,
      kW,
      node.stride,
      node.stride,
      1,
      1,
      node.padding,
      node.padding,
      node.padding,
      node.padding,
      node.depthwise ? 1 : 0,
    ];
    groups.push({
      at,
      op: {
        kind: 'conv',
        inputs: residual === undefined ? [node.input] : [node.input, residual],
        output,
        size: sizeOf(outShape),
        sumInPlace: residual,
        fields: {
          dims,
          weight: addWeight(filterValues),
          bias: bias === undefined ? -1 : addWeight(bias),
          postOp,
          activation,
          sum: residual !== undefined,
        },
      },
    });
  };

  nodes.forEach((node, index) => {
    if (absorbed.has(node)) return;
    switch (node.kind) {
      case 'conv2d':
        convGroup(node, index);
        return;
      case 'batchNorm': {
        const shape = shapeOf(node, node.input);
        const channels = shape[shape.length - 1] as number;
        const { scale, shift } = batchNormAffine(node, weight, channels);
        let output = node.output;
        let at = index;
        let activation: number = planActivation.linear;
        const next = soleReader(output);
        if (next?.kind === 'activation' && !absorbed.has(next)) {
          activation = activationCode(next, next.activation);
          absorbed.add(next);
          output = next.output;
          at = nodes.indexOf(next);
        }
        shapes.set(output, shape);
        groups.push({
          at,
          op: {
            kind: 'scaleShift',
            inputs: [node.input],
            output,
            size: sizeOf(shape),
            elementwise: true,
            fields: { scale, shift, channels, activation },
          },
        });
        return;
      }
      case 'activation': {
        const shape = shapeOf(node, node.input);
        shapes.set(node.output, shape);
        groups.push({
          at: index,
          op: {
            kind: 'activation',
            inputs: [node.input],
            output: node.output,
            size: sizeOf(shape),
            elementwise: true,
            fields: { activation: activationCode(node, node.activation) },
          },
        });
        return;
      }
      case 'add':
      case 'multiply': {
        const [a, b] = node.inputs.map((value) => shapeOf(node, value)) as [Shape, Shape];
        let kind: string = node.kind;
        let fields: Record<string, unknown> = {};
        if (!sameShape(a, b)) {
          const gate = node.kind === 'multiply' && a.length === 4 && b.length === 4;
          if (!gate || b[0] !== a[0] || b[1] !== 1 || b[2] !== 1 || b[3] !== a[3])
            throw new StaticSubnetUnsupportedError(
              `${node.kind} ${node.output}: broadcast of ${formatValue(a)} and ${formatValue(b)}`,
            );
          kind = 'channelMultiply';
          fields = { batch: a[0], spatial: (a[1] as number) * (a[2] as number), channels: a[3] };
        }
        shapes.set(node.output, a);
        groups.push({
          at: index,
          op: {
            kind,
            inputs: [...node.inputs],
            output: node.output,
            size: sizeOf(a),
            elementwise: true,
            fields,
          },
        });
        return;
      }
      case 'globalAvgPool':
      case 'avgPool': {
        const shape = shapeOf(node, node.input);
        if (shape.length !== 4) throw new StaticSubnetUnsupportedError(`pool ${node.output}`);
        const [batch, height, width, channels] = shape as [number, number, number, number];
        let outShape = [batch, 1, 1, channels];
        let fields: Record<string, unknown> = { batch, spatial: height * width, channels };
        if (node.kind === 'avgPool') {
          const padding = node.padding ?? 0;
          if (node.ceilMode || node.size !== node.stride)
            throw new StaticSubnetUnsupportedError(`avgPool ${node.output}: ceil mode or overlap`);
          const outHeight = Math.floor((height + 2 * padding - node.size) / node.size) + 1;
          const outWidth = Math.floor((width + 2 * padding - node.size) / node.size) + 1;
          if (outHeight < 1 || outWidth < 1)
            throw new StaticSubnetUnsupportedError(`avgPool ${node.output}: empty output`);
          outShape = [batch, outHeight, outWidth, channels];
          fields = {
            ...fields,
            inHeight: height,
            inWidth: width,
            outHeight,
            outWidth,
            window: node.size,
            padding,
          };
        }
        shapes.set(node.output, outShape);
        groups.push({
          at: index,
          op: {
            kind: node.kind,
            inputs: [node.input],
            output: node.output,
            size: sizeOf(outShape),
            fields,
          },
        });
        return;
      }
      case 'flatten': {
        const shape = shapeOf(node, node.input);
        shapes.set(node.output, [shape[0] as number, sizeOf(shape) / (shape[0] as number)]);
        // Row-major NHWC flattens in place: the output is the input's buffer.
        aliases.set(node.output, aliases.get(node.input) ?? node.input);
        return;
      }
      case 'dense': {
        const shape = shapeOf(node, node.input);
        const matrix = weight(node.weight);
        const [inFeatures, outFeatures] = matrix.shape as [number, number];
        if (shape.length !== 2 || matrix.shape.length !== 2 || shape[1] !== inFeatures)
          throw new StaticSubnetUnsupportedError(`dense ${node.output}: shapes`);
        const bias = node.bias === undefined ? undefined : weight(node.bias).values;
        if (bias !== undefined && bias.length !== outFeatures)
          throw new StaticSubnetUnsupportedError(`dense ${node.output}: bias size`);
        const outShape = [shape[0] as number, outFeatures];
        shapes.set(node.output, outShape);
        groups.push({
          at: index,
          op: {
            kind: 'dense',
            inputs: [node.input],
            output: node.output,
            size: sizeOf(outShape),
            fields: {
              batch: shape[0],
              inFeatures,
              outFeatures,
              weight: addWeight(matrix.values),
              bias: bias === undefined ? -1 : addWeight(bias),
            },
          },
        });
        return;
      }
      default:
        throw new StaticSubnetUnsupportedError(
          `unknown node kind ${formatValue((node as { kind: string }).kind)}`,
        );
    }
  });

  for (const { residual, shape, output } of residualChecks) {
    const residualShape = shapes.get(residual);
    if (residualShape === undefined || !sameShape(residualShape, shape))
      throw new StaticSubnetUnsupportedError(`add ${output}: ${residual} is missing or differs`);
  }
  const outputShape = shapes.get('logits');
  if (outputShape === undefined)
    throw new StaticSubnetUnsupportedError('no node produces "logits"');
  // A group runs where its last node stood: a residual made after the convolution (a strided
  // block's shortcut) is ready by then.
  const ordered = groups.sort((a, b) => a.at - b.at).map((group) => group.op);
  const { buffers, ops, output } = assignBuffers(ordered, aliases, 'logits');
  return {
    buffers,
    weights: planWeights,
    ops,
    output,
    inputSize: sizeOf(inputShape),
    outputSize: sizeOf(outputShape),
    outputShape: [...outputShape],
  };
}
