import {
  type ArchConfig,
  convPadding,
  shortcutHasConv,
  validateArch,
} from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import { batchNormEpsilon } from './batch-norm.js';
import { layoutOf } from './create-supernet.js';
import { sliceWeight } from './elastic-ops.js';
import { weightLookup } from './forward-supernet.js';
import { type BatchNormNames, firstConvNames, headNames } from './parameter-names.js';
import { type ActiveBlock, planSubnet } from './subnet-plan.js';
import type { StaticNode, StaticSubnet, Supernet } from './types.js';

/** Collects nodes and owned weight copies while walking the subnet. */
class SubnetBuilder {
  readonly nodes: StaticNode[] = [];
  readonly weights = new Map<string, tf.Tensor>();

  constructor(private readonly read: (name: string) => tf.Tensor) {}

  /** Copies the leading `size` block (from `begin`) of shared weight `source` as `name`. */
  copy(name: string, source: string, size: readonly number[], begin?: readonly number[]): string {
    const sliced = sliceWeight(this.read(source), size, begin);
    // A whole weight is cloned (shares storage until the variable is reassigned, then keeps the
    // old values), a part is sliced into a new tensor: either way the subnet owns it.
    this.weights.set(name, sliced === this.read(source) ? tf.clone(sliced) : sliced);
    return name;
  }

  batchNorm(input: string, prefix: string, source: BatchNormNames, channels: number): string {
    const output = prefix;
    this.nodes.push({
      kind: 'batchNorm',
      input,
      output,
      gamma: this.copy(`${prefix}.weight`, source.gamma, [channels]),
      beta: this.copy(`${prefix}.bias`, source.beta, [channels]),
      mean: this.copy(`${prefix}.running_mean`, source.mean, [channels]),
      variance: this.copy(`${prefix}.running_var`, source.variance, [channels]),
      epsilon: batchNormEpsilon,
    });
    return output;
  }

  /** A stride-1 1x1 conv without bias from shared weight `source`. */
  pointwise(
    input: string,
    prefix: string,
    source: string,
    inWidth: number,
    outWidth: number,
  ): string {
    const output = prefix;
    this.nodes.push({
      kind: 'conv2d',
      input,
      output,
      weight: this.copy(`${prefix}.weight`, source, [1, 1, inWidth, outWidth]),
      kernelSize: 1,
      stride: 1,
      depthwise: false,
      padding: 0,
    });
    return output;
  }

  activation(
    input: string,
    output: string,
    activation: Extract<StaticNode, { kind: 'activation' }>['activation'],
  ): string {
    this.nodes.push({ kind: 'activation', input, output, activation });
    return output;
  }
}

function addBlock(
  builder: SubnetBuilder,
  input: string,
  block: ActiveBlock,
  position: number,
): string {
  const { inChannels, midChannels: mid, outChannels, kernelSize, activation } = block;
  const { seChannels: squeeze } = block;
  const { names, maxKernelSize } = block.supernetBlock;
  const prefix = `blocks.${position}.mobile_inverted_conv`;
  let hidden = input;
  if (block.hasExpandConv) {
    const stem = `${prefix}.inverted_bottleneck`;
    hidden = builder.pointwise(hidden, `${stem}.conv`, names.expandConv, inChannels, mid);
    hidden = builder.batchNorm(hidden, `${stem}.bn`, names.expandBn, mid);
    hidden = builder.activation(hidden, `${stem}.act`, activation);
  }
  const depth = `${prefix}.depth_conv`;
  const start = (maxKernelSize - kernelSize) >> 1;
  builder.nodes.push({
    kind: 'conv2d',
    input: hidden,
    output: `${depth}.conv`,
    weight: builder.copy(
      `${depth}.conv.weight`,
      names.depthConv,
      [kernelSize, kernelSize, mid, 1],
      [start, start, 0, 0],
    ),
    kernelSize,
    stride: block.stride,
    depthwise: true,
    padding: convPadding(kernelSize),
  });
  hidden = builder.batchNorm(`${depth}.conv`, `${depth}.bn`, names.depthBn, mid);
  hidden = builder.activation(hidden, `${depth}.act`, activation);
  if (squeeze > 0) {
    const se = `${depth}.se`;
    builder.nodes.push({ kind: 'globalAvgPool', input: hidden, output: `${se}.pool` });
    builder.nodes.push({
      kind: 'conv2d',
      input: `${se}.pool`,
      output: `${se}.fc.reduce`,
      weight: builder.copy(`${se}.fc.reduce.weight`, names.seReduceWeight, [1, 1, mid, squeeze]),
      bias: builder.copy(`${se}.fc.reduce.bias`, names.seReduceBias, [squeeze]),
      kernelSize: 1,
      stride: 1,
      depthwise: false,
      padding: 0,
    });
    builder.activation(`${se}.fc.reduce`, `${se}.fc.relu`, 'relu');
    builder.nodes.push({
      kind: 'conv2d',
      input: `${se}.fc.relu`,
      output: `${se}.fc.expand`,
      weight: builder.copy(`${se}.fc.expand.weight`, names.seExpandWeight, [1, 1, squeeze, mid]),
      bias: builder.copy(`${se}.fc.expand.bias`, names.seExpandBias, [mid]),
      kernelSize: 1,
      stride: 1,
      depthwise: false,
      padding: 0,
    });
    builder.activation(`${se}.fc.expand`, `${se}.fc.h_sigmoid`, 'h_sigmoid');
    builder.nodes.push({ kind: 'multiply', inputs: [hidden, `${se}.fc.h_sigmoid`], output: se });
    hidden = se;
  }
  const project = `${prefix}.point_linear`;
  hidden = builder.pointwise(hidden, `${project}.conv`, names.projectConv, mid, outChannels);
  hidden = builder.batchNorm(hidden, `${project}.bn`, names.projectBn, outChannels);

  let residual = input;
  if (block.shortcut !== 'identity') {
    const stem = `blocks.${position}.shortcut`;
    if (block.stride > 1) {
      builder.nodes.push({
        kind: 'avgPool',
        input: residual,
        output: `${stem}.pool`,
        size: block.stride,
        stride: block.stride,
        ceilMode: false,
        padding: block.shortcutPoolPadding,
      });
      residual = `${stem}.pool`;
    }
    if (shortcutHasConv(block.shortcut)) {
      const source = names.shortcutConv;
      residual = builder.pointwise(residual, `${stem}.conv`, source, inChannels, outChannels);
    }
  }
  const output = `blocks.${position}`;
  builder.nodes.push({ kind: 'add', inputs: [hidden, residual], output });
  return output;
}

/**
 * The subnet `arch` as a standalone model: its nodes in order and copies of exactly the weights it
 * uses, sliced from the shared ones. Weight names are the reference static model's state_dict keys
 * (`first_conv.conv.weight`, `blocks.<j>.mobile_inverted_conv.depth_conv.bn.running_var`,
 * `last_conv.0.conv.weight`, `classifier.linear.weight`; `<j>` counts active blocks); layouts are
 * tfjs' (HWIO convs, [k, k, C, 1] depthwise, [in, out] dense). Its eval output equals
 * `supernet.apply(x, arch, { training: false })`. Free it with `disposeStaticSubnet`.
 */
export function extractSubnet(supernet: Supernet, arch: ArchConfig): StaticSubnet {
  const checked = validateArch(supernet.space, arch);
  const layout = layoutOf(supernet);
  const plan = planSubnet(layout, checked);
  const builder = new SubnetBuilder(weightLookup(supernet.variables));
  try {
    const { kernelSize, stride, activation } = layout.firstConv;
    const firstWidth = plan.stem.outChannels;
    builder.nodes.push({
      kind: 'conv2d',
      input: 'input',
      output: 'first_conv.conv',
      weight: builder.copy('first_conv.conv.weight', firstConvNames.conv, [
        kernelSize,
        kernelSize,
        layout.inputChannels,
        firstWidth,
      ]),
      kernelSize,
      stride,
      depthwise: false,
      padding: convPadding(kernelSize),
    });
    let hidden = builder.batchNorm(
      'first_conv.conv',
      'first_conv.bn',
      firstConvNames.bn,
      firstWidth,
    );
    hidden = builder.activation(hidden, 'first_conv.act', activation);
    plan.blocks.forEach((block, position) => {
      hidden = addBlock(builder, hidden, block, position);
    });
    const head = plan.head;
    hidden = builder.pointwise(
      hidden,
      'last_conv.0.conv',
      headNames.finalExpandConv,
      head.inChannels,
      head.expandChannels,
    );
    hidden = builder.batchNorm(
      hidden,
      'last_conv.0.bn',
      headNames.finalExpandBn,
      head.expandChannels,
    );
    hidden = builder.activation(hidden, 'last_conv.0.act', layout.head.activation);
    builder.nodes.push({ kind: 'globalAvgPool', input: hidden, output: 'last_conv.1' });
    hidden = builder.pointwise(
      'last_conv.1',
      'last_conv.2.conv',
      headNames.featureMixConv,
      head.expandChannels,
      head.featureChannels,
    );
    hidden = builder.activation(hidden, 'last_conv.2.act', layout.head.activation);
    builder.nodes.push({ kind: 'flatten', input: hidden, output: 'flatten' });
    builder.nodes.push({
      kind: 'dense',
      input: 'flatten',
      output: 'logits',
      weight: builder.copy('classifier.linear.weight', headNames.classifierWeight, [
        head.featureChannels,
        layout.numClasses,
      ]),
      bias: builder.copy('classifier.linear.bias', headNames.classifierBias, [layout.numClasses]),
    });
  } catch (error) {
    for (const weight of builder.weights.values()) weight.dispose();
    throw error;
  }
  return {
    format: 'supernas-subnet',
    formatVersion: 1,
    space: supernet.space,
    arch: checked,
    numClasses: supernet.numClasses,
    inputChannels: supernet.inputChannels,
    nodes: builder.nodes,
    weights: builder.weights,
  };
}
