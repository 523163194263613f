// Writes AttentiveNAS-A0 (the attentivenas space's smallest subnet, 203 MFLOPs at 192 px) as a
// tfjs graph model with metadata.json, for the latency bench. Its weights are the supernet's
// seeded initialisation, not trained ones: latency depends on shapes, not values, and no
// trained attentivenas supernet ships with the repo. Say so wherever the numbers are shown.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createSupernet,
  disposeStaticSubnet,
  extractSubnet,
  graphModelArtifacts,
  registerCpuSliceKernel,
} from '@supernas/elastic';
import { countFlops } from '@supernas/flops';
import { archKey, attentivenasSpace, minArch } from '@supernas/search-space';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';

export async function makeBenchModels(out) {
  await tf.setBackend('cpu');
  registerCpuSliceKernel();
  const arch = minArch(attentivenasSpace);
  const supernet = createSupernet(attentivenasSpace, {
    numClasses: 1000,
    inputChannels: 3,
    seed: 0,
  });
  const subnet = extractSubnet(supernet, arch);
  supernet.dispose();
  const { weightData, weightSpecs, ...json } = await graphModelArtifacts(subnet);
  disposeStaticSubnet(subnet);
  const folder = join(out, 'a0');
  mkdirSync(folder, { recursive: true });
  writeFileSync(
    join(folder, 'model.json'),
    JSON.stringify({
      ...json,
      weightsManifest: [{ paths: ['weights.bin'], weights: weightSpecs }],
    }),
  );
  writeFileSync(
    join(folder, 'weights.bin'),
    new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData)),
  );
  const { flops, params } = countFlops(attentivenasSpace, arch, { numClasses: 1000 });
  const metadata = {
    format: 'supernas-export',
    formatVersion: 1,
    space: attentivenasSpace.name,
    arch,
    archKey: archKey(arch),
    mflops: flops / 1e6,
    params,
    numClasses: 1000,
    inputName: 'input',
    outputName: 'logits',
    inputLayout: 'NHWC',
    inputShape: [-1, arch.resolution, arch.resolution, 3],
    normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    weights: 'seeded initialisation (latency benchmark only; not trained)',
    files: ['model.json'],
  };
  writeFileSync(join(folder, 'metadata.json'), JSON.stringify(metadata, null, 2));
  writeFileSync(
    join(out, 'web-run.json'),
    JSON.stringify({ format: 'supernas-web-run', formatVersion: 1, subnets: ['a0'] }),
  );
}
