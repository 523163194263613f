// For each kernel the native backend replaces (enableNativeBackend().nativeKernels), the
// tfjs-core spec files (under @tensorflow/tfjs-core/dist/) that exercise it. Every other kernel
// of the native backend is the cpu backend's own, which tfjs tests already; the Supernas*
// kernels are ours and tested by this package's vitest suites.
const conv = ['ops/conv2d_test', 'ops/conv1d_test', 'ops/conv2d_transpose_test'];
const depthwise = ['ops/depthwise_conv2d_test', 'ops/conv2d_separable_test'];
const slices = [
  'ops/slice_test',
  'ops/slice1d_test',
  'ops/slice2d_test',
  'ops/slice3d_test',
  'ops/slice4d_test',
];

export const kernelSpecs = {
  Conv2D: conv,
  FusedConv2D: ['ops/fused/fused_conv2d_test'],
  Conv2DBackpropInput: conv,
  Conv2DBackpropFilter: conv,
  DepthwiseConv2dNative: depthwise,
  FusedDepthwiseConv2D: ['ops/fused/fused_depthwise_conv2d_test'],
  DepthwiseConv2dNativeBackpropInput: depthwise,
  DepthwiseConv2dNativeBackpropFilter: depthwise,
  BatchMatMul: ['ops/mat_mul_test'],
  _FusedMatMul: ['ops/fused/fused_mat_mul_test'],
  Abs: ['ops/abs_test'],
  Elu: ['ops/elu_test'],
  Exp: ['ops/exp_test'],
  LeakyRelu: ['ops/leaky_relu_test'],
  Log: ['ops/log_test'],
  Neg: ['ops/neg_test'],
  Reciprocal: ['ops/reciprocal_test'],
  Relu: ['ops/relu_test'],
  Relu6: ['ops/relu6_test'],
  Rsqrt: ['ops/rsqrt_test'],
  Sigmoid: ['ops/sigmoid_test'],
  Softplus: ['ops/softplus_test'],
  Sqrt: ['ops/sqrt_test'],
  Square: ['ops/square_test'],
  Step: ['ops/step_test'],
  Tanh: ['ops/tanh_test'],
  Add: ['ops/add_test', 'ops/arithmetic_test'],
  Sub: ['ops/sub_test', 'ops/arithmetic_test'],
  Multiply: ['ops/arithmetic_test'],
  RealDiv: ['ops/arithmetic_test'],
  SquaredDifference: ['ops/binary_ops_test'],
  Maximum: ['ops/binary_ops_test'],
  Minimum: ['ops/binary_ops_test'],
  Greater: ['ops/greater_test'],
  GreaterEqual: ['ops/greater_equal_test'],
  Less: ['ops/less_test'],
  LessEqual: ['ops/less_equal_test'],
  Equal: ['ops/equal_test'],
  NotEqual: ['ops/not_equal_test'],
  AddN: ['ops/add_n_test'],
  Sum: ['ops/sum_test'],
  Mean: ['ops/mean_test'],
  Max: ['ops/max_test'],
  Min: ['ops/min_test'],
  Prod: ['ops/prod_test'],
  FusedBatchNorm: ['ops/batchnorm_test'],
  Transpose: ['ops/transpose_test'],
  Tile: ['ops/tile_test'],
  Slice: slices,
  StridedSlice: ['ops/strided_slice_test'],
  PadV2: ['ops/pad_test'],
  Concat: ['ops/concat_test'],
  AvgPool: ['ops/avg_pool_test', 'ops/pool_test'],
  MaxPool: ['ops/max_pool_test', 'ops/pool_test'],
  AvgPoolGrad: ['ops/avg_pool_test', 'ops/pool_test'],
};

/**
 * [a part of a test's full name, why it is excluded]. Each one is a known difference of the
 * native kernels from tfjs' own, to fix in the kernel and then remove here.
 */
export const excludes = [];
