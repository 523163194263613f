import {
  type BackendInfo,
  describeBackend,
  evaluatorBackends,
  probeBackends,
  useBackend,
} from './backends.js';
import { BackendUnavailableError } from './errors.js';
import {
  type LatencyMeasurement,
  type MeasureLatencyOptions,
  measureLatency,
} from './measure-latency.js';
import type { SubnetRunner } from './subnet-runner.js';

/** A runner loaded on the active backend, and how to free it. */
export interface LoadedRunner extends SubnetRunner {
  dispose(): void;
}

export interface BackendTiming {
  readonly backend: BackendInfo;
  readonly label: string;
  readonly latency?: LatencyMeasurement;
  /** Why it was not timed: unavailable, or its run failed. */
  readonly error?: string;
}

export interface BackendChoice {
  /** The active backend after the call. */
  readonly backend: string;
  /** Why it was chosen, in words. */
  readonly reason: string;
  readonly timings: readonly BackendTiming[];
}

export interface PickBackendOptions extends MeasureLatencyOptions {
  /** Candidates, in order of preference on a tie. Default webgpu, webgl, wasm, cpu. */
  readonly backends?: readonly string[];
  /** Use this backend without measuring; fails with `BackendUnavailableError` when it is not available. */
  readonly force?: string;
}

/**
 * Picks the backend that runs the subnet fastest on this device: loads it on each available
 * backend, measures its latency, and leaves the fastest active. (A software WebGPU adapter is
 * measured like any other and loses to wasm when it is slower.)
 */
export async function pickBackend(
  load: () => Promise<LoadedRunner>,
  options: PickBackendOptions = {},
): Promise<BackendChoice> {
  if (options.force !== undefined) {
    const [info] = await probeBackends([options.force]);
    if (info === undefined || !info.available) {
      const others = (await probeBackends()).filter((b) => b.available).map((b) => b.name);
      throw new BackendUnavailableError(options.force, info?.reason ?? 'unknown backend', others);
    }
    await useBackend(options.force);
    return {
      backend: options.force,
      reason: `forced: ${describeBackend(info)}`,
      timings: [{ backend: info, label: describeBackend(info) }],
    };
  }
  const infos = await probeBackends(options.backends ?? evaluatorBackends);
  const timings: BackendTiming[] = [];
  for (const info of infos) {
    const label = describeBackend(info);
    if (!info.available) {
      timings.push({ backend: info, label, error: info.reason ?? 'not available' });
      continue;
    }
    try {
      await useBackend(info.name);
      const runner = await load();
      try {
        timings.push({ backend: info, label, latency: await measureLatency(runner, options) });
      } finally {
        runner.dispose();
      }
    } catch (error) {
      timings.push({
        backend: info,
        label,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const timed = timings.filter((timing) => timing.latency !== undefined);
  if (timed.length === 0) {
    throw new BackendUnavailableError(
      (options.backends ?? evaluatorBackends).join(' | '),
      timings.map((timing) => `${timing.label}: ${timing.error}`).join('; '),
      [],
    );
  }
  const fastest = timed.reduce((best, timing) =>
    timing.latency!.medianMs < best.latency!.medianMs ? timing : best,
  );
  await useBackend(fastest.backend.name);
  const others = timed
    .filter((timing) => timing !== fastest)
    .map((timing) => `${timing.label} ${timing.latency!.medianMs.toFixed(2)} ms`);
  const reason = `fastest median latency here: ${fastest.label} ${fastest.latency!.medianMs.toFixed(2)} ms${
    others.length === 0 ? '' : ` (vs ${others.join(', ')})`
  }`;
  return { backend: fastest.backend.name, reason, timings };
}
