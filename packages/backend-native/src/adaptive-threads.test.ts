import { describeForBackends } from '@supernas/test-utils';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adaptThreadsToLoad,
  type CpuSample,
  otherProcessesCores,
  parseCpuSample,
  readCpuSample,
  threadsForLoad,
} from './adaptive-threads.js';
import { InvalidNativeOptionError } from './errors.js';
import { nativeVersion } from './native-version.js';
import { setUpBackends } from './test-utils/backends.js';

const stat = (user: number, idle: number) =>
  `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 0 0 1 0 0 0 0 0 0\ncpu1 1 0 0 1 0 0 0 0 0 0\nintr 1\n`;
// The command name may hold spaces and parentheses; utime 700, stime 50.
const self = '4242 (node (main) x) R 1 1 1 0 -1 4194304 9 0 0 0 700 50 0 0 20 0 3 0';

describe('parseCpuSample', () => {
  it('reads busy and total ticks of the machine and the ticks of this process', () => {
    expect(parseCpuSample(stat(1000, 3000), self, 2)).toEqual({
      busy: 1000,
      total: 4000,
      own: 750,
      cpus: 2,
    });
  });

  it('gives up where the counters cover other CPUs than this process may use', () => {
    expect(parseCpuSample(stat(1000, 3000), self, 1)).toBeUndefined();
    expect(parseCpuSample('intr 1\n', self, 2)).toBeUndefined();
    expect(parseCpuSample(stat(1000, 3000), '4242 (node) R', 2)).toBeUndefined();
  });

  it('reads this machine', () => {
    // Linux CI and development machines have /proc; the sample covers every usable CPU.
    const sample = readCpuSample();
    if (process.platform !== 'linux') expect(sample).toBeUndefined();
    else if (sample !== undefined) {
      expect(sample.busy).toBeGreaterThan(0);
      expect(sample.total).toBeGreaterThanOrEqual(sample.busy);
      expect(sample.own).toBeGreaterThan(0);
    }
  });
});

describe('otherProcessesCores', () => {
  const sample = (busy: number, total: number, own: number): CpuSample => ({
    busy,
    total,
    own,
    cpus: 2,
  });

  it('is the busy time that was not ours over one CPU’s wall time', () => {
    // 100 ticks of wall on each of 2 CPUs; 150 busy, 60 of them ours: 0.9 cores for others.
    expect(otherProcessesCores(sample(0, 0, 0), sample(150, 200, 60))).toBeCloseTo(0.9, 12);
    // Our own spinning threads are not somebody else's load.
    expect(otherProcessesCores(sample(0, 0, 0), sample(200, 200, 200))).toBe(0);
    expect(otherProcessesCores(sample(5, 5, 0), sample(5, 5, 0))).toBe(0);
  });
});

describe('threadsForLoad', () => {
  it('drops a thread once another process takes more than half a core', () => {
    expect(threadsForLoad(2, 0.3, 2, 2)).toBe(2);
    expect(threadsForLoad(2, 0.6, 2, 2)).toBe(1);
    expect(threadsForLoad(2, 1.9, 2, 2)).toBe(1);
    expect(threadsForLoad(8, 3.2, 8, 8)).toBe(5);
  });

  it('takes it back only when the core is at least 80% free', () => {
    expect(threadsForLoad(1, 0.3, 2, 2)).toBe(1);
    expect(threadsForLoad(1, 0.15, 2, 2)).toBe(2);
    expect(threadsForLoad(1, 0, 4, 2)).toBe(2);
  });
});

describe('adaptThreadsToLoad', () => {
  it('follows the load of other processes and restores the count when stopped', () => {
    // Each check sees 100 ticks of wall per CPU; `others` of the 200 CPU ticks were not ours.
    let busy = 0;
    let total = 0;
    let own = 0;
    const load = { others: 0 };
    const read = (): CpuSample => {
      total += 200;
      own += 100;
      busy += 100 + load.others * 100;
      return { busy, total, own, cpus: 2 };
    };
    const set: number[] = [];
    const changes: Array<[number, number]> = [];
    const adaptive = adaptThreadsToLoad({
      maxThreads: 2,
      intervalMs: 60_000,
      read,
      setThreads: (threads) => set.push(threads),
      onChange: (threads, others) => changes.push([threads, others]),
    });
    try {
      expect(adaptive.active).toBe(true);
      expect(adaptive.threads).toBe(2);
      adaptive.check();
      expect(adaptive.threads).toBe(2);
      load.others = 1;
      adaptive.check();
      expect(adaptive.threads).toBe(1);
      load.others = 0.3;
      adaptive.check();
      expect(adaptive.threads).toBe(1);
      load.others = 0;
      adaptive.check();
      expect(adaptive.threads).toBe(2);
      load.others = 0.7;
      adaptive.check();
      expect(adaptive.threads).toBe(1);
      expect(adaptive.switches).toBe(3);
      expect(adaptive.reducedSeconds).toBeGreaterThanOrEqual(0);
      expect(changes.map(([threads]) => threads)).toEqual([1, 2, 1]);
      expect(changes[0]![1]).toBeCloseTo(1, 12);
    } finally {
      adaptive.stop();
    }
    expect(set).toEqual([1, 2, 1, 2]);
    expect(adaptive.threads).toBe(2);
  });

  it('stays at the most threads where the load cannot be read', () => {
    const set: number[] = [];
    const adaptive = adaptThreadsToLoad({
      maxThreads: 2,
      read: () => undefined,
      setThreads: (threads) => set.push(threads),
    });
    adaptive.check();
    adaptive.stop();
    expect(adaptive.active).toBe(false);
    expect(set).toEqual([]);
  });

  it('rejects a thread count or interval that is not one', () => {
    expect(() => adaptThreadsToLoad({ maxThreads: 0 })).toThrow(InvalidNativeOptionError);
    expect(() => adaptThreadsToLoad({ intervalMs: Number.NaN })).toThrow(/intervalMs/);
  });
});

describeForBackends(['native'], 'adaptThreadsToLoad on the native backend', () => {
  beforeAll(setUpBackends);

  it('changes the native backend’s threads between kernels without changing results', async () => {
    const previous = tf.getBackend();
    await tf.setBackend('native');
    try {
      const run = () =>
        tf.tidy(() => {
          const x = tf.randomNormal([8, 16, 16, 32], 0, 1, 'float32', 1) as tf.Tensor4D;
          const w = tf.randomNormal([3, 3, 32, 48], 0, 1, 'float32', 2) as tf.Tensor4D;
          return tf.conv2d(x, w, 1, 'same').dataSync().slice();
        });
      const configured = nativeVersion()!.threads;
      const withAll = run();
      let ticks = 0;
      const adaptive = adaptThreadsToLoad({
        maxThreads: configured,
        intervalMs: 60_000,
        read: () => {
          ticks += 200;
          // Half the ticks ours, the other half another process's: one core taken.
          return { busy: ticks, total: ticks, own: ticks / 2, cpus: 2 };
        },
      });
      adaptive.check();
      expect(adaptive.threads).toBe(1);
      expect(nativeVersion()!.threads).toBe(1);
      const withOne = run();
      adaptive.stop();
      expect(nativeVersion()!.threads).toBe(configured);
      expect(Array.from(withOne)).toEqual(Array.from(withAll));
    } finally {
      await tf.setBackend(previous);
    }
  });
});
