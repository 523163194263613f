/**
 * Names of the shared weights. They are the keys of the reference `AttentiveNasDynamicModel`
 * PyTorch `state_dict` (each dynamic op wraps a torch module, hence `conv.conv` and `bn.bn`), so a
 * reference checkpoint maps one to one. The reference's `num_batches_tracked` and `bn_tracking.*`
 * buffers are not kept: nothing reads them.
 */

/** A batch norm's four tensors: `<prefix>.weight`, `.bias`, `.running_mean`, `.running_var`. */
export interface BatchNormNames {
  readonly gamma: string;
  readonly beta: string;
  readonly mean: string;
  readonly variance: string;
}

export function batchNormNames(prefix: string): BatchNormNames {
  return {
    gamma: `${prefix}.weight`,
    beta: `${prefix}.bias`,
    mean: `${prefix}.running_mean`,
    variance: `${prefix}.running_var`,
  };
}

export interface FirstConvNames {
  readonly conv: string;
  readonly bn: BatchNormNames;
}

export const firstConvNames: FirstConvNames = {
  conv: 'first_conv.conv.conv.weight',
  bn: batchNormNames('first_conv.bn.bn'),
};

export interface BlockNames {
  readonly expandConv: string;
  readonly expandBn: BatchNormNames;
  readonly depthConv: string;
  readonly depthBn: BatchNormNames;
  readonly seReduceWeight: string;
  readonly seReduceBias: string;
  readonly seExpandWeight: string;
  readonly seExpandBias: string;
  readonly projectConv: string;
  readonly projectBn: BatchNormNames;
  readonly shortcutConv: string;
}

/** Names of block `index`, counted over every block of the largest subnet (`blocks.<index>`). */
export function blockNames(index: number): BlockNames {
  const conv = `blocks.${index}.mobile_inverted_conv`;
  return {
    expandConv: `${conv}.inverted_bottleneck.conv.conv.weight`,
    expandBn: batchNormNames(`${conv}.inverted_bottleneck.bn.bn`),
    depthConv: `${conv}.depth_conv.conv.conv.weight`,
    depthBn: batchNormNames(`${conv}.depth_conv.bn.bn`),
    seReduceWeight: `${conv}.depth_conv.se.fc.reduce.weight`,
    seReduceBias: `${conv}.depth_conv.se.fc.reduce.bias`,
    seExpandWeight: `${conv}.depth_conv.se.fc.expand.weight`,
    seExpandBias: `${conv}.depth_conv.se.fc.expand.bias`,
    projectConv: `${conv}.point_linear.conv.conv.weight`,
    projectBn: batchNormNames(`${conv}.point_linear.bn.bn`),
    shortcutConv: `blocks.${index}.shortcut.conv.conv.weight`,
  };
}

export interface HeadNames {
  readonly finalExpandConv: string;
  readonly finalExpandBn: BatchNormNames;
  readonly featureMixConv: string;
  readonly classifierWeight: string;
  readonly classifierBias: string;
}

export const headNames: HeadNames = {
  finalExpandConv: 'last_conv.final_expand_layer.conv.conv.weight',
  finalExpandBn: batchNormNames('last_conv.final_expand_layer.bn.bn'),
  featureMixConv: 'last_conv.feature_mix_layer.conv.conv.weight',
  classifierWeight: 'classifier.linear.linear.weight',
  classifierBias: 'classifier.linear.linear.bias',
};
