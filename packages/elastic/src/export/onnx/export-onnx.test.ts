import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { disposeStaticSubnet } from '../../dispose-static-subnet.js';
import { ElasticOptionError, StaticGraphError } from '../../errors.js';
import { fixtureSubnet } from '../test-utils/fixture-subnet.js';
import { referenceRun } from '../test-utils/reference-run.js';
import { relativeError } from '../test-utils/relative-error.js';
import { exportOnnx } from './export-onnx.js';
import { runOnnx } from './test-utils/run-onnx.js';

const { onnx } = onnxProto;

describe('exportOnnx', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [foldBatchNorm, shortcutPool, inputLayout] of [
    [true, 'padded', 'NHWC'],
    [false, 'padded', 'NHWC'],
    [true, 'ceil', 'NHWC'],
    [true, 'padded', 'NCHW'],
  ] as const) {
    it(`writes a model onnxruntime runs to the subnet's predictions within 1e-5 (foldBatchNorm ${foldBatchNorm}, ${shortcutPool} pool, ${inputLayout} input)`, async () => {
      const before = tf.memory().numTensors;
      const subnet = fixtureSubnet(5, shortcutPool);
      const bytes = await exportOnnx(subnet, { foldBatchNorm, inputLayout });
      expect(tf.memory().numTensors).toBe(before + subnet.weights.size);
      const input = tf.randomNormal([3, 7, 7, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
      const expected = referenceRun(subnet, input);
      const onnxInput = inputLayout === 'NCHW' ? tf.transpose(input, [0, 3, 1, 2]) : input;
      const actual = await runOnnx(bytes, onnxInput);
      expect(actual.shape).toEqual([3, 5]);
      expect(relativeError(actual, expected)).toBeLessThan(1e-5);
      tf.dispose([input, onnxInput, expected, actual]);
      disposeStaticSubnet(subnet);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('records the format, space, arch, input and normalisation in metadata_props and uses opset 14 ops', async () => {
    const subnet = fixtureSubnet();
    const normalization = { mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] };
    const classNames = ['a', 'b', 'c', 'd', 'e'];
    const bytes = await exportOnnx(subnet, { normalization, classNames });
    const model = onnx.ModelProto.decode(bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map(({ domain, version }) => [domain, Number(version)])).toEqual([
      ['', 14],
    ]);
    const metadata = Object.fromEntries(
      model.metadataProps.map(({ key, value }) => [key, JSON.parse(value ?? 'null')]),
    );
    expect(metadata).toMatchObject({
      format: 'supernas-onnx',
      formatVersion: 1,
      spaceName: 'tiny',
      arch: subnet.arch,
      numClasses: 5,
      inputChannels: 3,
      resolution: 7,
      inputName: 'input',
      outputName: 'logits',
      inputLayout: 'NHWC',
      inputShape: [-1, 7, 7, 3],
      foldedBatchNorm: true,
      normalization,
      classNames,
    });
    expect(metadata.space).toEqual(JSON.parse(JSON.stringify(subnet.space)));
    expect(model.docString).toContain("space 'tiny'");
    expect(model.docString).toContain('(x - [0.5,0.4,0.3]) / [0.2,0.25,0.3]');

    const graph = model.graph as onnxProto.onnx.GraphProto;
    const dims = (info: onnxProto.onnx.IValueInfoProto) =>
      info.type?.tensorType?.shape?.dim?.map((dim) => dim.dimParam || Number(dim.dimValue));
    expect(graph.input.map((info) => [info.name, dims(info)])).toEqual([
      ['input', ['batch', 7, 7, 3]],
    ]);
    expect(graph.output.map((info) => [info.name, dims(info)])).toEqual([['logits', ['batch', 5]]]);
    expect(graph.node[0]).toMatchObject({ opType: 'Transpose', input: ['input'] });
    expect([...new Set(graph.node.map((node) => node.opType))].sort()).toEqual(
      [
        'Add',
        'AveragePool',
        'BatchNormalization',
        'Clip',
        'Conv',
        'Flatten',
        'Gemm',
        'GlobalAveragePool',
        'HardSigmoid',
        'HardSwish',
        'Mul',
        'Relu',
        'Sigmoid',
        'Transpose',
      ].sort(),
    );
    // The two batchNorms that cannot fold stay; the depthwise conv has one group per channel.
    expect(graph.node.filter((node) => node.opType === 'BatchNormalization')).toHaveLength(2);
    const depthwise = graph.node.find((node) => node.name === 'b0.dw.bn');
    expect(Number(depthwise?.attribute?.find((item) => item.name === 'group')?.i)).toBe(8);
    // Every initializer is read by some node.
    const read = new Set(graph.node.flatMap((node) => node.input));
    expect(graph.initializer.every((tensor) => read.has(tensor.name))).toBe(true);
    disposeStaticSubnet(subnet);
  });

  it('rejects normalisation or class names that do not fit the subnet, naming the value', async () => {
    const subnet = fixtureSubnet();
    await expect(
      exportOnnx(subnet, { normalization: { mean: [0.5], std: [1, 1, 1] } }),
    ).rejects.toThrow(ElasticOptionError);
    await expect(
      exportOnnx(subnet, { normalization: { mean: [0, 0, 0], std: [1, 0, 1] } }),
    ).rejects.toThrow(
      'exportOnnx: normalization.std is [1,0,1], expected 3 finite numbers (one per input channel, each > 0)',
    );
    await expect(exportOnnx(subnet, { classNames: ['cat'] })).rejects.toThrow(
      'exportOnnx: classNames is ["cat"], expected 5 strings (one per class)',
    );
    disposeStaticSubnet(subnet);
  });

  it('rejects a node that reads a tensor no earlier node makes, leaving nothing allocated', async () => {
    const subnet = fixtureSubnet();
    const before = tf.memory().numTensors;
    const broken = { ...subnet, nodes: subnet.nodes.slice(1) };
    await expect(exportOnnx(broken, { foldBatchNorm: false })).rejects.toThrow(StaticGraphError);
    await expect(exportOnnx(broken, { foldBatchNorm: false })).rejects.toThrow(
      /node batchNorm -> stem.bn: exportOnnx: reads tensor 'stem.conv', which no earlier node makes/,
    );
    expect(tf.memory().numTensors).toBe(before);
    disposeStaticSubnet(subnet);
  });
});
