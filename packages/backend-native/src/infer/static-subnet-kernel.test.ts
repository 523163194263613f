import {
  createSupernet,
  disposeStaticSubnet,
  extractSubnet,
  registerGradients,
  runStaticSubnet,
  type StaticNode,
  type StaticSubnet,
} from '@supernas/elastic';
import {
  type ArchConfig,
  attentivenasSpace,
  createRng,
  maxArch,
  minArch,
  type SearchSpace,
  sampleArch,
  tinySpace,
} from '@supernas/search-space';
import {
  describeForBackends,
  expectClose,
  oddMapSpace,
  randomizeBatchNorms,
  seededTensor,
} from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  enableNativeBackend,
  getNativeKernelStats,
  releaseNativeMemory,
  resetNativeKernelStats,
} from '../index.js';
import { loadAddon } from '../load-addon.js';
import type { NativeAddon } from '../native-addon.js';
import { expectBackendsAgree, setUpBackends } from '../test-utils/backends.js';
import { staticSubnetKernelName } from './static-subnet-kernel.js';

const A0: ArchConfig = {
  resolution: 192,
  width: [16, 16, 24, 32, 64, 112, 192, 216, 1792],
  depth: [1, 3, 3, 3, 3, 3, 1],
  kernelSize: [3, 3, 3, 3, 3, 3, 3],
  expandRatio: [1, 4, 4, 4, 4, 6, 6],
};

function extract(
  space: SearchSpace,
  arch: ArchConfig,
  inputChannels: number,
  numClasses: number,
): StaticSubnet {
  const supernet = createSupernet(space, { numClasses, inputChannels, seed: 3 });
  try {
    randomizeBatchNorms(supernet, 11);
    return extractSubnet(supernet, arch);
  } finally {
    supernet.dispose();
  }
}

function addon(): NativeAddon {
  const loaded = loadAddon();
  if (!('addon' in loaded)) throw new Error(loaded.reason);
  return loaded.addon;
}

/** Runs `subnet` on both backends (its weights copied onto each) and compares the logits. */
async function expectCompiledMatchesCpu(
  subnet: StaticSubnet,
  batch: number,
  compute = (own: StaticSubnet, x: tf.Tensor4D): tf.Tensor => runStaticSubnet(own, x),
): Promise<void> {
  const { resolution } = subnet.arch;
  const weights = new Map(
    [...subnet.weights].map(([name, tensor]) => [
      name,
      { values: tensor.dataSync(), shape: tensor.shape },
    ]),
  );
  resetNativeKernelStats();
  await expectBackendsAgree(() => {
    const own: StaticSubnet = {
      ...subnet,
      weights: new Map(
        [...weights].map(([name, { values, shape }]) => [name, tf.tensor(values, shape)]),
      ),
    };
    try {
      const x = seededTensor(
        [batch, resolution, resolution, subnet.inputChannels],
        5,
      ) as tf.Tensor4D;
      return compute(own, x);
    } finally {
      disposeStaticSubnet(own);
    }
  });
}

describeForBackends(['native'], 'SupernasStaticSubnet', () => {
  beforeAll(async () => {
    await setUpBackends();
    await registerGradients();
  });
  afterAll(() => tf.setBackend('cpu'));

  const tinyArchs: [string, ArchConfig][] = [
    ['max', maxArch(tinySpace)],
    ['min', minArch(tinySpace)],
    ['random', sampleArch(tinySpace, createRng(7))],
  ];
  for (const [label, arch] of tinyArchs) {
    for (const batch of [1, 4]) {
      it(`matches the cpu backend for the tiny ${label} subnet at batch ${batch}, in one kernel call`, async () => {
        const subnet = extract(tinySpace, arch, 1, 10);
        try {
          await expectCompiledMatchesCpu(subnet, batch);
          expect(getNativeKernelStats().native[staticSubnetKernelName]).toBe(1);
          expect(getNativeKernelStats().native.Conv2D).toBeUndefined();
        } finally {
          disposeStaticSubnet(subnet);
        }
      });
    }
  }

  it('matches the cpu backend for AttentiveNAS-A0 at 192 px (3 channels, 1000 classes)', async () => {
    const subnet = extract(attentivenasSpace, A0, 3, 1000);
    try {
      await expectCompiledMatchesCpu(subnet, 2);
      expect(getNativeKernelStats().native[staticSubnetKernelName]).toBe(1);
    } finally {
      disposeStaticSubnet(subnet);
    }
  }, 60_000);

  it('matches the cpu backend where strided shortcuts pool padded odd maps', async () => {
    const space = oddMapSpace(tinySpace);
    const subnet = extract(space, { ...maxArch(space), resolution: 28 }, 3, 7);
    try {
      expect(subnet.nodes.some((node) => node.kind === 'avgPool' && (node.padding ?? 0) > 0)).toBe(
        true,
      );
      await expectCompiledMatchesCpu(subnet, 3);
      expect(getNativeKernelStats().native[staticSubnetKernelName]).toBe(1);
    } finally {
      disposeStaticSubnet(subnet);
    }
  });

  it('runs every activation and a batch norm that follows no convolution as the cpu backend does', async () => {
    const base = extract(tinySpace, minArch(tinySpace), 1, 10);
    // first conv -> relu6 (a loop after the primitive), then a standalone BN -> h_swish, an
    // element-wise multiply and add of same-shaped values, sigmoid and relu before the rest.
    const nodes: StaticNode[] = base.nodes.map((node) =>
      node.kind === 'activation' && node.output === 'first_conv.act'
        ? { ...node, activation: 'relu6' }
        : node,
    );
    const at = nodes.findIndex((node) => node.output === 'first_conv.act');
    const next = nodes[at + 1] as Extract<StaticNode, { input: string }>;
    const bn = nodes.find((node) => node.kind === 'batchNorm' && node.output === 'first_conv.bn');
    const extra: StaticNode[] = [
      {
        ...(bn as Extract<StaticNode, { kind: 'batchNorm' }>),
        input: 'first_conv.act',
        output: 'x.bn',
      },
      { kind: 'activation', input: 'x.bn', output: 'x.hswish', activation: 'h_swish' },
      { kind: 'activation', input: 'first_conv.act', output: 'x.sigmoid', activation: 'sigmoid' },
      { kind: 'multiply', inputs: ['x.hswish', 'x.sigmoid'], output: 'x.mul' },
      { kind: 'add', inputs: ['x.mul', 'first_conv.act'], output: 'x.add' },
      { kind: 'activation', input: 'x.add', output: 'x.relu', activation: 'relu' },
      { kind: 'activation', input: 'x.relu', output: 'x.hsigmoid', activation: 'h_sigmoid' },
      { kind: 'activation', input: 'x.hsigmoid', output: 'x.swish', activation: 'swish' },
    ];
    const subnet: StaticSubnet = {
      ...base,
      nodes: [
        ...nodes.slice(0, at + 1),
        ...extra,
        { ...next, input: 'x.swish' } as StaticNode,
        ...nodes.slice(at + 2),
      ],
    };
    try {
      await expectCompiledMatchesCpu(subnet, 2);
      expect(getNativeKernelStats().native[staticSubnetKernelName]).toBe(1);
    } finally {
      disposeStaticSubnet(base);
    }
  });

  it('keeps NaN as the cpu backend does', async () => {
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    try {
      await expectCompiledMatchesCpu(subnet, 2, (own, x) => {
        const poisoned = tf.mul(x, tf.tensor([Number.NaN, 1], [2, 1, 1, 1])) as tf.Tensor4D;
        return runStaticSubnet(own, poisoned);
      });
    } finally {
      disposeStaticSubnet(subnet);
    }
  });

  it('keeps non-finite weights and statistics as the cpu backend does', async () => {
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    const poison = (name: string, index: number, value: number) => {
      const tensor = subnet.weights.get(name) as tf.Tensor;
      const values = tensor.dataSync().slice();
      values[index] = value;
      (subnet.weights as Map<string, tf.Tensor>).set(name, tf.tensor(values, tensor.shape));
      tensor.dispose();
    };
    // An infinite weight before a zero gamma (inf * 0), and a negative variance (NaN scale).
    poison('first_conv.conv.weight', 0, Number.POSITIVE_INFINITY);
    poison('first_conv.bn.weight', 0, 0);
    poison('last_conv.0.bn.running_var', 1, -1);
    try {
      await expectCompiledMatchesCpu(subnet, 2);
      expect(getNativeKernelStats().native[staticSubnetKernelName]).toBe(1);
    } finally {
      disposeStaticSubnet(subnet);
    }
  });

  it('runs a graph it cannot compile op by op, with the same result', async () => {
    const base = extract(tinySpace, minArch(tinySpace), 1, 10);
    // An add that broadcasts [N, 1, 1, C] over [N, H, W, C] is not one the plan knows.
    const nodes: StaticNode[] = [];
    for (const node of base.nodes) {
      const reader = 'input' in node && node.input === 'first_conv.act';
      nodes.push(reader ? ({ ...node, input: 'x.add' } as StaticNode) : node);
      if (node.output === 'first_conv.act') {
        nodes.push({ kind: 'globalAvgPool', input: 'first_conv.act', output: 'x.pool' });
        nodes.push({ kind: 'add', inputs: ['first_conv.act', 'x.pool'], output: 'x.add' });
      }
    }
    const subnet: StaticSubnet = { ...base, nodes };
    try {
      await expectCompiledMatchesCpu(subnet, 2);
      const { native } = getNativeKernelStats();
      expect(native[staticSubnetKernelName]).toBeUndefined();
      expect(native.DepthwiseConv2dNative).toBeGreaterThan(0);
    } finally {
      disposeStaticSubnet(base);
    }
  });

  it('gives gradients through runStaticSubnet as the cpu backend does (op by op under a tape)', async () => {
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    try {
      await expectCompiledMatchesCpu(subnet, 2, (own, x) =>
        tf.grad((input: tf.Tensor) => tf.sum(runStaticSubnet(own, input as tf.Tensor4D)))(x),
      );
      expect(getNativeKernelStats().native[staticSubnetKernelName]).toBeUndefined();
    } finally {
      disposeStaticSubnet(subnet);
    }
  });

  it('builds a plan once per input shape and releases it with its weights', async () => {
    await tf.setBackend('native');
    const live = addon().inferPlanLiveCount();
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    const before = tf.memory().numTensors;
    const run = (batch: number) => {
      const x = seededTensor([batch, 24, 24, 1], batch) as tf.Tensor4D;
      const logits = runStaticSubnet(subnet, x);
      const values = logits.dataSync().slice();
      tf.dispose([x, logits]);
      return values;
    };
    const first = run(1);
    expect(addon().inferPlanLiveCount()).toBe(live + 1);
    expect(run(1)).toEqual(first);
    expect(addon().inferPlanLiveCount()).toBe(live + 1);
    run(3);
    expect(addon().inferPlanLiveCount()).toBe(live + 2);
    expect(tf.memory().numTensors).toBe(before);
    disposeStaticSubnet(subnet);
    expect(addon().inferPlanLiveCount()).toBe(live);
  });

  it('builds the plan again after the thread count changes, and releaseNativeMemory frees it', async () => {
    await tf.setBackend('native');
    const live = addon().inferPlanLiveCount();
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    const x = seededTensor([2, 24, 24, 1], 4) as tf.Tensor4D;
    const threads = addon().version().threads;
    try {
      const logits = () => tf.tidy(() => Array.from(runStaticSubnet(subnet, x).dataSync()));
      const before = logits();
      enableNativeBackend({ threads: 1 });
      expectClose(logits(), before, { rtol: 1e-5, atol: 1e-7 });
      expect(addon().inferPlanLiveCount()).toBe(live + 1);
      releaseNativeMemory();
      expect(addon().inferPlanLiveCount()).toBe(live);
    } finally {
      enableNativeBackend({ threads });
      x.dispose();
      disposeStaticSubnet(subnet);
    }
  });

  it('builds a new plan when a weight is replaced by another tensor', async () => {
    await tf.setBackend('native');
    const subnet = extract(tinySpace, minArch(tinySpace), 1, 10);
    const x = seededTensor([1, 24, 24, 1], 2) as tf.Tensor4D;
    try {
      const before = runStaticSubnet(subnet, x);
      const weights = new Map(subnet.weights);
      const bias = weights.get('classifier.linear.bias') as tf.Tensor;
      weights.set('classifier.linear.bias', tf.add(bias, 1));
      const after = runStaticSubnet({ ...subnet, weights }, x);
      const shifted = tf.tidy(() => tf.sub(after, before).dataSync());
      for (const value of shifted) expect(value).toBeCloseTo(1, 4);
      tf.dispose([before, after, weights.get('classifier.linear.bias') as tf.Tensor]);
    } finally {
      x.dispose();
      disposeStaticSubnet(subnet);
    }
  });
});
