import { loadPredictor, type Predictor } from '@supernas/predictors';
import type { SearchSpace } from '@supernas/search-space';
import { CliUsageError } from '../cli-usage-error.js';
import { readInputFile } from '../read-input-file.js';

export async function readJson(path: string, what: string): Promise<unknown> {
  const text = await readInputFile(path, what);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`Cannot parse ${what} ${path}: ${(error as Error).message}`);
  }
}

/** Forests and ridge load without tfjs; an MLP brings tfjs-core (and cpu, if no backend is set). */
export async function readPredictor(path: string, space: SearchSpace): Promise<Predictor> {
  const json = await readJson(path, 'predictor file');
  if ((json as { kind?: unknown } | null)?.kind !== 'mlp') return loadPredictor(json, { space });
  const tf = await import('@tensorflow/tfjs-core');
  if (!tf.engine().backendName) {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
  const mlp = await import('@supernas/predictors/mlp');
  return mlp.loadPredictor(json, { space });
}
