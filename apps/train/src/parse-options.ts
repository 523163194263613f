import { InvalidArgumentError } from 'commander';

/** Commander argument parser for counts such as `--num-classes`. */
export function parsePositiveInteger(text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`expected a positive integer, got "${text}".`);
  }
  return value;
}

/** `1,234,567`: counts read at a glance. */
export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** MFLOPs with two decimals, as the reference papers report them. */
export function formatMflops(flops: number): string {
  return (flops / 1e6).toFixed(2);
}
