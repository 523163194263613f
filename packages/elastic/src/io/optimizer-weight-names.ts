import type * as tf from '@tensorflow/tfjs-core';

/**
 * Rewrites a name whose leading segments (up to a `/`) are a key of `prefixes` so that they
 * become the mapped value; the longest matching prefix wins. Other names pass unchanged.
 */
function replacePrefix(name: string, prefixes: ReadonlyMap<string, string>): string {
  for (let cut = name.lastIndexOf('/'); cut > 0; cut = name.lastIndexOf('/', cut - 1)) {
    const replacement = prefixes.get(name.slice(0, cut));
    if (replacement !== undefined) return replacement + name.slice(cut);
  }
  return name;
}

/**
 * tfjs optimizers name their state after the tfjs variable (`<variable.name>/momentum`), and a
 * reloaded supernet has new tfjs names. Checkpoints store the supernet key instead.
 */
export function toPortableOptimizerNames(
  names: readonly string[],
  variables: ReadonlyMap<string, tf.Variable>,
): string[] {
  const keyByVariableName = new Map<string, string>();
  for (const [key, variable] of variables) keyByVariableName.set(variable.name, key);
  return names.map((name) => replacePrefix(name, keyByVariableName));
}

/** The inverse of `toPortableOptimizerNames` for the variables of the supernet being restored. */
export function toVariableOptimizerNames(
  names: readonly string[],
  variables: ReadonlyMap<string, tf.Variable>,
): string[] {
  const variableNameByKey = new Map<string, string>();
  for (const [key, variable] of variables) variableNameByKey.set(key, variable.name);
  return names.map((name) => replacePrefix(name, variableNameByKey));
}
