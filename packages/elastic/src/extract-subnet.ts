import { type ArchConfig, validateArch } from '@supernas/search-space';
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
  const { layout, inWidth, midWidth, outWidth, kernelSize, seMid } = block;
  const { names } = layout;
  const prefix = `blocks.${position}.mobile_inverted_conv`;
  let hidden = input;
  if (layout.hasExpansion) {
    const stem = `${prefix}.inverted_bottleneck`;
    hidden = builder.pointwise(hidden, `${stem}.conv`, names.expandConv, inWidth, midWidth);
    hidden = builder.batchNorm(hidden, `${stem}.bn`, names.expandBn, midWidth);
    hidden = builder.activation(hidden, `${stem}.act`, layout.activation);
  }
  const depth = `${prefix}.depth_conv`;
  const start = (layout.maxKernelSize - kernelSize) >> 1;
  builder.nodes.push({
    kind: 'conv2d',
    input: hidden,
    output: `${depth}.conv`,
    weight: builder.copy(
      `${depth}.conv.weight`,
      names.depthConv,
      [kernelSize, kernelSize, midWidth, 1],
      [start, start, 0, 0],
    ),
    kernelSize,
    stride: block.stride,
    depthwise: true,
    padding: kernelSize >> 1,
  });
  hidden = builder.batchNorm(`${depth}.conv`, `${depth}.bn`, names.depthBn, midWidth);
  hidden = builder.activation(hidden, `${depth}.act`, layout.activation);
  if (layout.se) {
    const se = `${depth}.se`;
    builder.nodes.push({ kind: 'globalAvgPool', input: hidden, output: `${se}.pool` });
    builder.nodes.push({
      kind: 'conv2d',
      input: `${se}.pool`,
      output: `${se}.fc.reduce`,
      weight: builder.copy(`${se}.fc.reduce.weight`, names.seReduceWeight, [1, 1, midWidth, seMid]),
      bias: builder.copy(`${se}.fc.reduce.bias`, names.seReduceBias, [seMid]),
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
      weight: builder.copy(`${se}.fc.expand.weight`, names.seExpandWeight, [1, 1, seMid, midWidth]),
      bias: builder.copy(`${se}.fc.expand.bias`, names.seExpandBias, [midWidth]),
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
  hidden = builder.pointwise(hidden, `${project}.conv`, names.projectConv, midWidth, outWidth);
  hidden = builder.batchNorm(hidden, `${project}.bn`, names.projectBn, outWidth);

  const shortcut = block.shortcut;
  let residual = input;
  if (!shortcut.identity) {
    const stem = `blocks.${position}.shortcut`;
    if (shortcut.poolSize > 1) {
      builder.nodes.push({
        kind: 'avgPool',
        input: residual,
        output: `${stem}.pool`,
        size: shortcut.poolSize,
        stride: shortcut.poolSize,
        ceilMode: false,
        padding: shortcut.poolPadding,
      });
      residual = `${stem}.pool`;
    }
    if (shortcut.conv)
      residual = builder.pointwise(residual, `${stem}.conv`, names.shortcutConv, inWidth, outWidth);
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
    const firstWidth = plan.firstConv.outWidth;
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
      padding: kernelSize >> 1,
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
      head.inWidth,
      head.expandWidth,
    );
    hidden = builder.batchNorm(hidden, 'last_conv.0.bn', headNames.finalExpandBn, head.expandWidth);
    hidden = builder.activation(hidden, 'last_conv.0.act', layout.head.activation);
    builder.nodes.push({ kind: 'globalAvgPool', input: hidden, output: 'last_conv.1' });
    hidden = builder.pointwise(
      'last_conv.1',
      'last_conv.2.conv',
      headNames.featureMixConv,
      head.expandWidth,
      head.outWidth,
    );
    hidden = builder.activation(hidden, 'last_conv.2.act', layout.head.activation);
    builder.nodes.push({ kind: 'flatten', input: hidden, output: 'flatten' });
    builder.nodes.push({
      kind: 'dense',
      input: 'flatten',
      output: 'logits',
      weight: builder.copy('classifier.linear.weight', headNames.classifierWeight, [
        head.outWidth,
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
