import * as tf from '@tensorflow/tfjs-core';

export interface SgdConfig {
  readonly momentum: number;
  readonly nesterov: boolean;
  /** L2 weight decay added to the gradient of decayed parameters (PyTorch SGD semantics). */
  readonly weightDecay: number;
}

const f32 = Math.fround;

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
 *
 * `applyGradients` takes the step in tfjs ops (seven per parameter), where the weights live
 * (a GPU); `applyGradientValues` in one JavaScript loop per parameter over values read back,
 * rounding to float32 after every operation as the ops do (the cpu backend's numbers, bit for
 * bit). On a CPU backend that is the faster way: a supernet has about a hundred small
 * parameters, and dispatching ~700 tiny kernels cost more than the arithmetic.
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

  /**
   * `applyGradients` with each gradient given as its values (in the parameter's shape), for
   * backends whose tensors live in CPU memory (`dataSync` reads them without a copy).
   */
  applyGradientValues(
    parameters: ReadonlyMap<string, tf.Variable>,
    gradients: ReadonlyMap<string, Float32Array>,
    learningRate: number,
    decayed: (name: string) => boolean,
  ): void {
    const { nesterov } = this.config;
    // The scalars as float32, as tfjs makes them when they meet a float32 tensor.
    const momentum = f32(this.config.momentum);
    const weightDecay = f32(this.config.weightDecay);
    const rate = f32(learningRate);
    for (const [name, gradient] of gradients) {
      const parameter = parameters.get(name);
      if (parameter === undefined) throw new Error(`Sgd: gradient for unknown parameter '${name}'`);
      if (gradient.length !== parameter.size)
        throw new Error(
          `Sgd: gradient for '${name}' has ${gradient.length} values, expected ${parameter.size}`,
        );
      const weights = parameter.dataSync() as Float32Array;
      const buffer = this.buffers.get(name);
      const previous = buffer === undefined ? undefined : (buffer.dataSync() as Float32Array);
      const decay = weightDecay > 0 && decayed(name) ? weightDecay : 0;
      const nextWeights = new Float32Array(weights.length);
      const nextBuffer = new Float32Array(weights.length);
      for (let i = 0; i < weights.length; i++) {
        const weight = weights[i]!;
        const direction = decay > 0 ? f32(gradient[i]! + f32(weight * decay)) : gradient[i]!;
        const moved =
          momentum > 0 ? f32(f32((previous?.[i] ?? 0) * momentum) + direction) : direction;
        const step = nesterov ? f32(direction + f32(moved * momentum)) : moved;
        nextBuffer[i] = moved;
        nextWeights[i] = weight - f32(step * rate);
      }
      const shape = parameter.shape;
      tf.tidy(() => {
        parameter.assign(tf.tensor(nextWeights, shape, 'float32'));
        if (buffer === undefined)
          this.buffers.set(name, tf.variable(tf.tensor(nextBuffer, shape, 'float32'), false));
        else buffer.assign(tf.tensor(nextBuffer, shape, 'float32'));
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
