import { extname } from 'node:path';
import {
  type ArchConfig,
  normalizeArch,
  type SearchSpace,
  validateArch,
} from '@supernas/search-space';
import { parse as parseYaml } from 'yaml';
import { CliUsageError } from './cli-usage-error.js';
import { readInputFile } from './read-input-file.js';

/**
 * Reads an arch from a JSON or YAML file (YAML unless the name ends in `.json`), in camelCase or
 * the reference repos' snake_case, and checks it against the space. A missing or unparsable
 * file is a `CliUsageError`; a bad arch is an `InvalidArchError`.
 */
export async function readArchFile(path: string, space: SearchSpace): Promise<ArchConfig> {
  const text = await readInputFile(path, 'arch file');
  let parsed: unknown;
  try {
    parsed = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const firstLine = String((error as Error).message).split('\n')[0];
    throw new CliUsageError(`Cannot parse arch file ${path}: ${firstLine}`);
  }
  return validateArch(space, normalizeArch(parsed));
}
