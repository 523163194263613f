import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  disposeStaticSubnet,
  exportGraphModel,
  exportOnnx,
  extractSubnet,
  type OnnxExportOptions,
} from '@supernas/elastic';
import { fileSystemHandler } from '@supernas/elastic/node';
import { countFlops } from '@supernas/flops';
import { type ArchConfig, archKey } from '@supernas/search-space';
import { type Command, Option } from 'commander';
import { type BackendChoice, backendChoices, parseBackendChoice } from '../backend.js';
import type { CliIo } from '../cli-io.js';
import { atomicWrite } from '../run/atomic-write.js';
import { calibrateOnTraining } from '../train/calibrate-on-training.js';
import { evaluateSubnet } from '../train/evaluate-subnets.js';
import { type OpenRun, openRun, resolveArchOption } from '../train/open-run.js';

export const exportFormats = ['tfjs', 'onnx', 'both'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Version of the `metadata.json` and `arch.json` that `supernas export` writes. */
export const exportFormatVersion = 1;

interface ExportOptions {
  readonly run: string;
  readonly arch?: string;
  readonly preset?: string;
  readonly out: string;
  readonly format: ExportFormat;
  readonly eval?: boolean;
  readonly backend?: BackendChoice;
}

/**
 * `supernas export`: BN-calibrate one subnet of a trained run on its training data (as
 * `calibrate` and `eval` do), extract it and write it as a tfjs graph model (`model.json` +
 * weights) and/or an ONNX model (`model.onnx`), with `arch.json` and `metadata.json`.
 */
export function registerExportCommand(program: Command, io: CliIo): void {
  program
    .command('export')
    .description(
      'calibrate BN for one subnet of a trained run and export it as a tfjs graph model and/or ONNX',
    )
    .requiredOption('--run <dir>', 'a run folder written by supernas train')
    .option('--arch <file>', 'the subnet, as JSON or YAML')
    .option('--preset <name>', 'min or max instead of --arch')
    .requiredOption('--out <dir>', 'where to write the model files, arch.json and metadata.json')
    .addOption(
      new Option('--format <format>', 'which models to write')
        .choices(exportFormats)
        .default('both'),
    )
    .option('--eval', 'also measure test top-1 (recorded in metadata.json)')
    .option(
      '--backend <name>',
      `tfjs backend: ${backendChoices.join(' | ')} (default: the run's)`,
      parseBackendChoice,
    )
    .action(async (options: ExportOptions) => {
      const run = await openRun(options.run, options.backend, io);
      try {
        const { label, arch } = await resolveArchOption(run.space, options);
        await exportRunSubnet(run, arch, label, options, io);
      } finally {
        run.supernet.dispose();
      }
    });
}

async function exportRunSubnet(
  run: OpenRun,
  arch: ArchConfig,
  label: string,
  options: ExportOptions,
  io: CliIo,
): Promise<void> {
  const out = resolve(options.out);
  const { supernet, config } = run;
  const calibration = {
    ...config.evaluation,
    seed: config.seed,
    ...(config.data.augmentation === undefined ? {} : { augmentation: config.data.augmentation }),
  };
  // evaluateSubnet calibrates first, with the same seed and batches as calibrateOnTraining.
  const evaluation = options.eval
    ? await evaluateSubnet(supernet, arch, label, run, calibration)
    : undefined;
  if (evaluation === undefined) await calibrateOnTraining(supernet, arch, run.train, calibration);

  const { normalization, classNames } = run.train;
  const onnxOptions: OnnxExportOptions = {
    ...(normalization.mean.length === supernet.inputChannels ? { normalization } : {}),
    ...(classNames !== undefined && classNames.length === supernet.numClasses
      ? { classNames }
      : {}),
  };
  const files: string[] = [];
  const subnet = extractSubnet(supernet, arch);
  try {
    await mkdir(out, { recursive: true });
    if (options.format !== 'onnx') {
      await exportGraphModel(subnet, fileSystemHandler(out));
      files.push('model.json');
    }
    if (options.format !== 'tfjs') {
      await atomicWrite(join(out, 'model.onnx'), await exportOnnx(subnet, onnxOptions));
      files.push('model.onnx');
    }
  } finally {
    disposeStaticSubnet(subnet);
  }

  const { flops, params } = countFlops(run.space, arch, {
    numClasses: supernet.numClasses,
    inputChannels: supernet.inputChannels,
  });
  const header = { format: 'supernas-export', formatVersion: exportFormatVersion };
  const archRecord = { ...header, space: run.space.name, ...arch };
  const metadata = {
    ...header,
    space: run.space.name,
    arch,
    archKey: archKey(arch),
    mflops: flops / 1e6,
    params,
    numClasses: supernet.numClasses,
    inputName: 'input',
    outputName: 'logits',
    inputLayout: 'NHWC',
    inputShape: [-1, arch.resolution, arch.resolution, supernet.inputChannels],
    normalization: { mean: normalization.mean, std: normalization.std },
    ...(classNames === undefined ? {} : { classNames }),
    dataset: config.data.dataset,
    calibration: {
      batches: config.evaluation.calibrationBatches,
      batchSize: config.evaluation.calibrationBatchSize,
      seed: config.seed,
    },
    ...(evaluation === undefined
      ? {}
      : { top1: evaluation.top1, testExamples: evaluation.examples }),
    run: run.runDir,
    step: run.step,
    files,
  };
  await atomicWrite(join(out, 'arch.json'), `${JSON.stringify(archRecord, null, 2)}\n`);
  await atomicWrite(join(out, 'metadata.json'), `${JSON.stringify(metadata, null, 2)}\n`);
  const top1 =
    evaluation === undefined ? '' : `, test top-1 ${(100 * evaluation.top1).toFixed(2)}%`;
  io.stdout(
    `exported ${label} (${(flops / 1e6).toFixed(2)} MFLOPs, ${params} params${top1}) to ${out}: ${[...files, 'arch.json', 'metadata.json'].join(', ')}\n`,
  );
}
