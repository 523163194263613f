import { countFlops } from '@supernas/flops';
import {
  countSubnets,
  getSearchSpace,
  maxArch,
  minArch,
  presetNames,
  type SearchSpace,
} from '@supernas/search-space';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import { formatCount, formatMflops, parsePositiveInteger } from '../parse-options.js';

interface SpaceShowOptions {
  readonly space: string;
  readonly numClasses: number;
  readonly json?: boolean;
}

/** Everything `space show` reports, also its `--json` line. */
export function describeSpace(space: SearchSpace, numClasses: number) {
  const smallest = countFlops(space, minArch(space), { numClasses });
  const largest = countFlops(space, maxArch(space), { numClasses });
  return {
    ...space,
    subnets: countSubnets(space),
    numClasses,
    minMflops: smallest.flops / 1e6,
    maxMflops: largest.flops / 1e6,
    minParams: smallest.params,
    maxParams: largest.params,
  };
}

function humanReport(space: SearchSpace, numClasses: number): string[] {
  const summary = describeSpace(space, numClasses);
  const list = (values: readonly number[]) => values.join(', ');
  const { firstConv, lastConv } = space;
  const stageRows = space.stages.map((stage) => [
    stage.name,
    list(stage.widths),
    list(stage.depths),
    list(stage.kernelSizes),
    list(stage.expandRatios),
    String(stage.stride),
    stage.se ? 'yes' : 'no',
    stage.activation,
  ]);
  return [
    `Search space ${space.name}`,
    `resolutions  ${list(space.resolutions)}`,
    `first conv   widths ${list(firstConv.widths)}; ${firstConv.kernelSize}x${firstConv.kernelSize}, stride ${firstConv.stride}, ${firstConv.activation}`,
    ...formatTable([
      ['stage', 'widths', 'depths', 'kernels', 'expand', 'stride', 'SE', 'activation'],
      ...stageRows,
    ]),
    `last conv    widths ${list(lastConv.widths)}; v3 head, expand ${lastConv.expandRatio}, ${lastConv.activation}`,
    `subnets      ${formatCount(summary.subnets)} (${summary.subnets.toExponential(2)})`,
    `MFLOPs       ${formatMflops(summary.minMflops * 1e6)} (min) to ${formatMflops(summary.maxMflops * 1e6)} (max) at ${numClasses} classes`,
    `params       ${formatCount(summary.minParams)} (min) to ${formatCount(summary.maxParams)} (max)`,
  ];
}

/** `supernas space show`: a preset's choices, subnet count and FLOPs range. */
export function registerSpaceCommands(program: Command, io: CliIo): void {
  const space = program.command('space').description('inspect search spaces');
  space
    .command('show')
    .description('print a search space: choices per stage, number of subnets, MFLOPs range')
    .requiredOption('--space <name>', `search space, one of: ${presetNames.join(', ')}`)
    .option(
      '--num-classes <n>',
      'classifier outputs used for FLOPs and params',
      parsePositiveInteger,
      1000,
    )
    .option('--json', 'print one JSON line instead of text')
    .action((options: SpaceShowOptions) => {
      const searchSpace = getSearchSpace(options.space);
      if (options.json) {
        io.stdout(`${JSON.stringify(describeSpace(searchSpace, options.numClasses))}\n`);
        return;
      }
      io.stdout(`${humanReport(searchSpace, options.numClasses).join('\n')}\n`);
    });
}
