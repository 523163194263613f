import * as tf from '@tensorflow/tfjs-core';

export interface SgdConfig {
  readonly momentum: number;
  readonly nesterov: boolean;
  /** L2 weight decay added to the gradient of decayed parameters (PyTorch SGD semantics). */
  readonly weightDecay: number;
}

/**
 * A kernel a backend may register to take the whole step in one pass (`@supernas/backend-native`
 * does): {parameter, gradient, buffer}, attrs {learningRate, momentum, weightDecay, nesterov}
 * -> [nextParameter, nextBuffer], the same arithmetic as the composed ops below.
 */
export const sgdStepKernelName = 'SupernasSgdStep';

function hasSgdStepKernel(parameter: tf.Tensor, gradient: tf.Tensor): boolean {
  return (
    parameter.dtype === 'float32' &&
    gradient.dtype === 'float32' &&
    parameter.size > 0 &&
    parameter.size === gradient.size &&
    tf.getKernel(sgdStepKernelName, tf.getBackend()) !== undefined
  );
}

/**
 * SGD with (Nesterov) momentum and decoupled-by-name weight decay, in PyTorch's formulation:
 * d = g + wd * w; buf = m * buf + d; w -= lr * (nesterov ? d + m * buf : buf).
 * Momentum buffers are keyed by parameter name (tfjs' MomentumOptimizer keys them by list
 * position, which breaks when the set of gradients changes between steps), and the state
 * round-trips through `getWeights` / `setWeights` for checkpoints.
 */
export class Sgd {
  private readonly buffers = new Map<string, tf.Variable>();

  constructor(readonly config: SgdConfig) {}

  /**
   * One update. `gradients` maps parameter names (keys of `parameters`) to gradients;
   * `decayed(name)` says which parameters get weight decay (not BN, not biases).
   */
  applyGradients(
    parameters: ReadonlyMap<string, tf.Variable>,
    gradients: ReadonlyMap<string, tf.Tensor>,
    learningRate: number,
    decayed: (name: string) => boolean,
  ): void {
    const { momentum, nesterov, weightDecay } = this.config;
    for (const [name, gradient] of gradients) {
      const parameter = parameters.get(name);
      if (parameter === undefined) throw new Error(`Sgd: gradient for unknown parameter '${name}'`);
      let buffer = this.buffers.get(name);
      if (buffer === undefined) {
        buffer = tf.tidy(() => tf.variable(tf.zerosLike(parameter), false));
        this.buffers.set(name, buffer);
      }
      const momentumBuffer = buffer;
      if (hasSgdStepKernel(parameter, gradient)) {
        tf.tidy(() => {
          const [nextParameter, nextBuffer] = tf.engine().runKernel(
            sgdStepKernelName,
            { parameter, gradient, buffer: momentumBuffer },
            {
              learningRate,
              momentum,
              weightDecay: weightDecay > 0 && decayed(name) ? weightDecay : 0,
              nesterov,
            },
          ) as tf.Tensor[];
          momentumBuffer.assign(nextBuffer!);
          parameter.assign(nextParameter!);
        });
        continue;
      }
      tf.tidy(() => {
        const direction =
          weightDecay > 0 && decayed(name)
            ? tf.add(gradient, tf.mul(parameter, weightDecay))
            : gradient;
        const nextBuffer =
          momentum > 0 ? tf.add(tf.mul(momentumBuffer, momentum), direction) : direction;
        const step = nesterov ? tf.add(direction, tf.mul(nextBuffer, momentum)) : nextBuffer;
        momentumBuffer.assign(nextBuffer);
        parameter.assign(tf.sub(parameter, tf.mul(step, learningRate)));
      });
    }
  }

  /** Momentum buffers as `<parameter>/momentum`, for checkpoints. */
  getWeights(): Array<{ name: string; tensor: tf.Tensor }> {
    return [...this.buffers].map(([name, tensor]) => ({ name: `${name}/momentum`, tensor }));
  }

  setWeights(weights: ReadonlyArray<{ name: string; tensor: tf.Tensor }>): void {
    this.disposeBuffers();
    for (const { name, tensor } of weights) {
      if (!name.endsWith('/momentum'))
        throw new Error(
          `Sgd.setWeights: unexpected state '${name}', expected '<parameter>/momentum'`,
        );
      this.buffers.set(name.slice(0, -'/momentum'.length), tf.variable(tensor, false));
    }
  }

  /** A stable name for checkpoints (constructor names do not survive minifiers). */
  getClassName(): string {
    return 'Sgd';
  }

  getConfig(): SgdConfig {
    return { ...this.config };
  }

  dispose(): void {
    this.disposeBuffers();
  }

  private disposeBuffers(): void {
    for (const buffer of this.buffers.values()) buffer.dispose();
    this.buffers.clear();
  }
}
