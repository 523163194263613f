import '@tensorflow/tfjs-backend-cpu';
import {
  createSupernet,
  disposeStaticSubnet,
  extractSubnet,
  graphModelArtifacts,
  registerCpuSliceKernel,
  type Supernet,
} from '@supernas/elastic';
import { countFlops } from '@supernas/flops';
import { type ArchConfig, archKey, maxArch, minArch, tinySpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  registerCpuSliceKernel();
}

export const classNames = ['tee', 'trouser', 'pullover', 'dress', 'coat', 'sandal'];
export const normalization = { mean: [0.286], std: [0.353] };

/**
 * A run folder in memory as `supernas export` and the demo script lay it out: min and max subnets
 * of the tiny space (from a seeded, untrained supernet; tests check plumbing, not accuracy).
 */
export async function exportedRunFiles(supernet: Supernet): Promise<{
  files: Map<string, string | ArrayBuffer>;
  archs: Record<'min' | 'max', ArchConfig>;
}> {
  const files = new Map<string, string | ArrayBuffer>();
  const archs = { min: minArch(tinySpace), max: maxArch(tinySpace) };
  for (const [label, arch] of Object.entries(archs)) {
    const subnet = extractSubnet(supernet, arch);
    try {
      const { weightData, weightSpecs, ...json } = await graphModelArtifacts(subnet);
      files.set(
        `subnets/${label}/model.json`,
        JSON.stringify({
          ...json,
          weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
        }),
      );
      files.set(
        `subnets/${label}/weights.bin`,
        tf.io.CompositeArrayBuffer.join(weightData!).slice(0),
      );
    } finally {
      disposeStaticSubnet(subnet);
    }
    const { flops, params } = countFlops(tinySpace, arch, { numClasses: 6, inputChannels: 1 });
    files.set(
      `subnets/${label}/metadata.json`,
      JSON.stringify({
        format: 'supernas-export',
        formatVersion: 1,
        space: 'tiny',
        arch,
        archKey: archKey(arch),
        mflops: flops / 1e6,
        params,
        numClasses: 6,
        inputName: 'input',
        outputName: 'logits',
        inputLayout: 'NHWC',
        inputShape: [-1, arch.resolution, arch.resolution, 1],
        normalization,
        classNames,
        top1: label === 'max' ? 0.8 : 0.7,
        files: ['model.json'],
      }),
    );
  }
  files.set('config.json', JSON.stringify({ space: 'tiny', seed: 0 }));
  files.set('metrics.jsonl', '{"step":1,"loss":2.3}\n{"step":2,"loss":2.1}\n');
  files.set(
    'web-run.json',
    JSON.stringify({
      format: 'supernas-web-run',
      formatVersion: 1,
      subnets: ['subnets/max', 'subnets/min'],
      config: 'config.json',
      metrics: 'metrics.jsonl',
    }),
  );
  return { files, archs };
}

export function tinySupernet(): Supernet {
  return createSupernet(tinySpace, { numClasses: 6, inputChannels: 1, seed: 5 });
}
