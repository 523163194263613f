import { batchNormKernel } from './batch-norm-kernel.js';
import { binaryKernels } from './binary-kernels.js';
import { convKernels } from './conv-kernels.js';
import { layoutKernels } from './layout-kernels.js';
import { matmulKernels } from './matmul-kernels.js';
import type { NativeKernel } from './native-kernel.js';
import { poolKernels } from './pool-kernels.js';
import { reduceKernels } from './reduce-kernels.js';
import { unaryKernels } from './unary-kernels.js';

/** Every kernel with a native implementation; all others run the cpu backend's code. */
export const allNativeKernels: readonly NativeKernel[] = [
  ...convKernels,
  ...matmulKernels,
  ...unaryKernels,
  ...binaryKernels,
  ...reduceKernels,
  batchNormKernel,
  ...layoutKernels,
  ...poolKernels,
];
