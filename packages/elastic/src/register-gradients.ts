import * as tf from '@tensorflow/tfjs-core';
import { GradientRegistrationError } from './errors.js';

/**
 * Registers tfjs' gradient functions, which `@tensorflow/tfjs-core` alone does not. Call once
 * before training. Bundlers and browsers resolve tfjs-core's own ESM registration module; in
 * Node that module is not importable as ESM (extensionless imports), so we fall back to the
 * `@tensorflow/tfjs` union bundle, which registers the same gradients into the shared registry.
 */
export async function registerGradients(): Promise<void> {
  if (tf.getGradient('Conv2D') !== undefined) return;
  const candidates = ['@tensorflow/tfjs-core/dist/register_all_gradients', '@tensorflow/tfjs'];
  const failures: string[] = [];
  for (const specifier of candidates) {
    try {
      await import(/* @vite-ignore */ specifier);
    } catch (error) {
      failures.push(`${specifier}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (tf.getGradient('Conv2D') !== undefined) return;
  }
  throw new GradientRegistrationError(failures);
}
