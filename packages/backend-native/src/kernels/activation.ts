/** tfjs fused activations to the codes the addon understands (native/conv.cc, matmul.cc). */
export function activationCode(activation: unknown): number | undefined {
  switch (activation ?? 'linear') {
    case 'linear':
      return 0;
    case 'relu':
      return 1;
    case 'relu6':
      return 2;
    case 'elu':
      return 3;
    case 'leakyrelu':
      return 4;
    case 'sigmoid':
      return 5;
    default:
      // prelu needs its weights tensor: the cpu kernel handles it.
      return undefined;
  }
}
