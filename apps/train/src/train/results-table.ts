import type { SubnetResult } from './evaluate-subnets.js';

/** A fixed-width table: subnet, MFLOPs, params, top-1 and the arch. */
export function formatResultsTable(results: readonly SubnetResult[]): string {
  const header = ['subnet', 'MFLOPs', 'params', 'top-1', 'arch'];
  const rows = results.map((result) => [
    result.label,
    result.mflops.toFixed(2),
    result.params.toLocaleString('en-US'),
    `${(result.top1 * 100).toFixed(2)}%`,
    `r${result.arch.resolution} w[${result.arch.width.join(',')}] d[${result.arch.depth.join(',')}] k[${result.arch.kernelSize.join(',')}] e[${result.arch.expandRatio.join(',')}]`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column >= 1 && column <= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...rows.map(line),
  ].join('\n');
}
