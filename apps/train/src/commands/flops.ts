import { countFlops, flopsBreakdown } from '@supernas/flops';
import {
  type ArchConfig,
  archKey,
  getSearchSpace,
  presetNames,
  type SearchSpace,
} from '@supernas/search-space';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import { formatCount, formatMflops, parsePositiveInteger } from '../parse-options.js';
import { readArchFile } from '../read-arch-file.js';

interface FlopsOptions {
  readonly space: string;
  readonly arch: string;
  readonly numClasses: number;
  readonly inputChannels: number;
  readonly json?: boolean;
  readonly breakdown?: boolean;
}

/** FLOPs and params per part of the network: the stem, each stage, the head. */
function breakdownRows(space: SearchSpace, arch: ArchConfig, options: FlopsOptions): string[][] {
  const parts = new Map<string, { flops: number; params: number }>();
  for (const layer of flopsBreakdown(space, arch, options)) {
    const part =
      layer.name.startsWith('head.') || layer.name === 'classifier'
        ? 'head'
        : layer.name.split('.')[0]!;
    const total = parts.get(part) ?? { flops: 0, params: 0 };
    parts.set(part, { flops: total.flops + layer.flops, params: total.params + layer.params });
  }
  return [
    ['part', 'MFLOPs', 'params'],
    ...[...parts].map(([part, total]) => [
      part,
      formatMflops(total.flops),
      formatCount(total.params),
    ]),
  ];
}

/** `supernas flops`: FLOPs and parameters of one arch read from a file. */
export function registerFlopsCommand(program: Command, io: CliIo): void {
  program
    .command('flops')
    .description('count the FLOPs (multiply-adds) and parameters of a subnet')
    .requiredOption('--space <name>', `search space, one of: ${presetNames.join(', ')}`)
    .requiredOption('--arch <file>', 'arch as JSON or YAML, camelCase or snake_case keys')
    .option('--num-classes <n>', 'classifier outputs', parsePositiveInteger, 1000)
    .option('--input-channels <n>', 'image channels', parsePositiveInteger, 3)
    .option('--breakdown', 'also print MFLOPs and params per stage')
    .option('--json', 'print one JSON line {"flops", "mflops", "params"} instead of text')
    .action(async (options: FlopsOptions) => {
      const space = getSearchSpace(options.space);
      const arch = await readArchFile(options.arch, space);
      const count = countFlops(space, arch, options);
      if (options.json) {
        const line = { flops: count.flops, mflops: count.flops / 1e6, params: count.params };
        io.stdout(`${JSON.stringify(line)}\n`);
        return;
      }
      const lines = [
        `arch    ${archKey(arch)}`,
        `space   ${space.name}, ${options.numClasses} classes, ${options.inputChannels} input channels`,
        `MFLOPs  ${formatMflops(count.flops)}`,
        `params  ${formatCount(count.params)} (${formatCount(count.usedParams)} without idle shortcut convs)`,
      ];
      if (options.breakdown) lines.push('', ...formatTable(breakdownRows(space, arch, options)));
      io.stdout(`${lines.join('\n')}\n`);
    });
}
