import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStaticSubnet } from '../dispose-static-subnet.js';
import { StaticGraphError } from '../errors.js';
import { exportGraphModel } from './export-graph-model.js';
import { fixtureSubnet } from './test-utils/fixture-subnet.js';
import { referenceRun } from './test-utils/reference-run.js';
import { relativeError } from './test-utils/relative-error.js';

/** A save-and-load handler that keeps the artifacts in memory, as a file would hold them. */
function memoryHandler() {
  let stored: tf.io.ModelArtifacts | undefined;
  return {
    get artifacts() {
      return stored as tf.io.ModelArtifacts;
    },
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      stored = JSON.parse(JSON.stringify({ ...artifacts, weightData: undefined }));
      (stored as tf.io.ModelArtifacts).weightData = tf.io.CompositeArrayBuffer.join(
        artifacts.weightData,
      ).slice(0);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      return stored as tf.io.ModelArtifacts;
    },
  };
}

describe('exportGraphModel', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [foldBatchNorm, shortcutPool] of [
    [true, 'padded'],
    [false, 'padded'],
    [true, 'ceil'],
  ] as const) {
    it(`writes a graph model whose predictions match the subnet's within 1e-5 (foldBatchNorm ${foldBatchNorm}, ${shortcutPool} pool)`, async () => {
      const before = tf.memory().numTensors;
      const subnet = fixtureSubnet(5, shortcutPool);
      const handler = memoryHandler();
      await exportGraphModel(subnet, handler, { foldBatchNorm });
      const model = await loadGraphModel(handler);
      const input = tf.randomNormal([3, 7, 7, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
      const expected = referenceRun(subnet, input);
      const actual = model.predict(input) as tf.Tensor;
      expect(actual.shape).toEqual([3, 5]);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      tf.dispose([input, expected, actual]);
      model.dispose();
      disposeStaticSubnet(subnet);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('records the format, space, arch and tensor names, and uses only TF op names', async () => {
    const subnet = fixtureSubnet();
    const handler = memoryHandler();
    await exportGraphModel(subnet, handler);
    const { artifacts } = handler;
    expect(artifacts.format).toBe('graph-model');
    expect(artifacts.userDefinedMetadata?.supernas).toMatchObject({
      format: 'supernas-graph-model',
      formatVersion: 1,
      spaceName: 'tiny',
      arch: subnet.arch,
      numClasses: 5,
      inputName: 'input',
      outputName: 'logits',
      foldedBatchNorm: true,
    });
    const graph = artifacts.modelTopology as {
      node: { name: string; op: string; input: string[] }[];
    };
    const ops = new Set(graph.node.map((node) => node.op));
    expect([...ops].sort()).toEqual(
      [
        'AddV2',
        'AvgPool',
        'BiasAdd',
        'Const',
        'Conv2D',
        'DepthwiseConv2dNative',
        'FusedBatchNormV3',
        'MatMul',
        'Mean',
        'Mul',
        'Pad',
        'Placeholder',
        'Relu',
        'Relu6',
        'Reshape',
        'Sigmoid',
      ].sort(),
    );
    // Folding leaves the two batchNorms that cannot fold.
    expect(
      graph.node.filter((node) => node.op === 'FusedBatchNormV3').map((node) => node.name),
    ).toEqual(['b0.out.bn', 'head.bn']);
    // The stride-2 5x5 depthwise conv and the shortcut pool pad explicitly; the stride-1 3x3
    // stem uses SAME.
    expect(graph.node.find((node) => node.name === 'b0.dw.bn/conv')?.input[0]).toBe('b0.dw.bn/pad');
    expect(graph.node.find((node) => node.name === 'b0.shortcut.pool')?.input[0]).toBe(
      'b0.shortcut.pool/pad',
    );
    expect(graph.node.find((node) => node.name === 'stem.bn/conv')?.input[0]).toBe('input');
    // Every Const is in the manifest, and only Consts are.
    const constants = graph.node.filter((node) => node.op === 'Const').map((node) => node.name);
    expect(artifacts.weightSpecs?.map((spec) => spec.name).sort()).toEqual(constants.sort());
    disposeStaticSubnet(subnet);
  });

  it('rejects a ceil-mode pool the graph cannot reproduce at every size, leaving nothing allocated', async () => {
    const subnet = fixtureSubnet(1, 'ceil');
    const before = tf.memory().numTensors;
    const unsupported = {
      ...subnet,
      nodes: subnet.nodes.map((node) => (node.kind === 'avgPool' ? { ...node, size: 3 } : node)),
    };
    await expect(exportGraphModel(unsupported, memoryHandler())).rejects.toThrow(StaticGraphError);
    await expect(exportGraphModel(unsupported, memoryHandler())).rejects.toThrow(
      /ceil mode with window 3, stride 2 and padding 0/,
    );
    expect(tf.memory().numTensors).toBe(before);
    disposeStaticSubnet(subnet);
  });

  it('rejects a node that reads a tensor no earlier node makes', async () => {
    const subnet = fixtureSubnet();
    const broken = { ...subnet, nodes: subnet.nodes.slice(1) };
    await expect(
      exportGraphModel(broken, memoryHandler(), { foldBatchNorm: false }),
    ).rejects.toThrow(
      /node batchNorm -> stem.bn: subnetToGraphDef: reads tensor 'stem.conv', which no earlier node makes/,
    );
    disposeStaticSubnet(subnet);
  });
});
