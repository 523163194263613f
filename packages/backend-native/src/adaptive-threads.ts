import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { InvalidNativeOptionError } from './errors.js';
import { loadAddon } from './load-addon.js';

/**
 * CPU time counters, in clock ticks: the whole machine's busy and total time (summed over its
 * CPUs) and this process's own, with the number of CPUs they cover.
 */
export interface CpuSample {
  readonly busy: number;
  readonly total: number;
  readonly own: number;
  readonly cpus: number;
}

/**
 * Reads `/proc/stat` and `/proc/self/stat` (Linux). Undefined where they are missing, or when
 * they describe other CPUs than this process may use (a container pinned to some of the
 * host's cores, a CPU affinity mask): then the machine's load cannot be told apart from ours. A
 * CPU quota without pinning is not seen: the counters are then the host's.
 */
export function readCpuSample(): CpuSample | undefined {
  let stat: string;
  let self: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
    self = readFileSync('/proc/self/stat', 'utf8');
  } catch {
    return undefined;
  }
  return parseCpuSample(stat, self, availableParallelism());
}

/** `readCpuSample` on the two files' text; `usableCpus` is what this process may run on. */
export function parseCpuSample(
  stat: string,
  self: string,
  usableCpus: number,
): CpuSample | undefined {
  const lines = stat.split('\n');
  const cpus = lines.filter((line) => /^cpu\d+ /.test(line)).length;
  const all = lines[0]
    ?.match(/^cpu\s+(.*)$/)?.[1]
    ?.trim()
    .split(/\s+/)
    .map(Number);
  // After the command name in parentheses (which may hold spaces): state is field 3, utime and
  // stime fields 14 and 15.
  const fields = self
    .slice(self.lastIndexOf(')') + 2)
    .trim()
    .split(/\s+/)
    .map(Number);
  if (all === undefined || all.length < 8 || cpus === 0 || cpus !== usableCpus) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = all as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq + steal;
  const own = (fields[11] ?? Number.NaN) + (fields[12] ?? Number.NaN);
  if (![busy, idle, iowait, own].every(Number.isFinite)) return undefined;
  return { busy, total: busy + idle + iowait, own, cpus };
}

/**
 * Cores that other processes kept busy between two samples: the machine's busy time less this
 * process's, over the wall time one CPU saw. A spinning OpenMP thread of ours counts as ours.
 */
export function otherProcessesCores(before: CpuSample, after: CpuSample): number {
  const wall = (after.total - before.total) / after.cpus;
  if (!(wall > 0)) return 0;
  const others = after.busy - before.busy - (after.own - before.own);
  return Math.max(0, others / wall);
}

/**
 * The thread count for the cores left free by other processes, with hysteresis: fewer threads
 * once more than half a core is taken from the ones in use, more again only when the extra core
 * is at least 80% free, so a load that hovers near a threshold does not switch every second.
 */
export function threadsForLoad(
  current: number,
  othersCores: number,
  cpus: number,
  maxThreads: number,
): number {
  const free = cpus - othersCores;
  const down = Math.floor(free + 0.5);
  if (down < current) return Math.max(1, down);
  const up = Math.floor(free + 0.2);
  if (up > current) return Math.min(maxThreads, up);
  return current;
}

export interface AdaptThreadsOptions {
  /** The most threads to use (default: every core this process may use). */
  readonly maxThreads?: number;
  /** How often to look at the machine's load, in milliseconds (default 1000). */
  readonly intervalMs?: number;
  /** Reads the counters (default `readCpuSample`; tests pass their own). */
  readonly read?: () => CpuSample | undefined;
  /** Sets the native backend's thread count (default: the addon's `setNumThreads`). */
  readonly setThreads?: (threads: number) => void;
  /** Told of every change, with the cores other processes were using. */
  readonly onChange?: (threads: number, othersCores: number) => void;
}

export interface AdaptiveThreads {
  /** The most threads it uses: the count on an idle machine. */
  readonly maxThreads: number;
  /** The thread count now in force. */
  readonly threads: number;
  /** How many times the count changed. */
  readonly switches: number;
  /** Seconds spent below `maxThreads` so far. */
  readonly reducedSeconds: number;
  /** Whether the machine's load can be read here; if not, the count stays at `maxThreads`. */
  readonly active: boolean;
  /** Looks at the load now (the timer calls it; exposed for tests). */
  check(): void;
  /** Stops watching and restores `maxThreads`. */
  stop(): void;
}

/**
 * Keeps the native backend's OpenMP threads to the cores other processes leave free. OpenMP
 * threads that wait for each other at a barrier lose a whole scheduler time slice whenever one
 * of them is descheduled, so two threads sharing two cores with a third busy process run
 * slower than one thread (measured on the default job's forward: 2.4x slower with the threads
 * spinning briefly, on par when they sleep), while on an idle machine two threads that spin
 * briefly at barriers are 1.7x faster than sleeping ones. Supernas' commands therefore let the
 * threads spin briefly (`GOMP_SPINCOUNT`) and call this to drop to fewer threads while another
 * process is busy, and back when it is done. The timer is `unref`'d: it never keeps Node alive.
 * It runs between kernels (JavaScript is single-threaded), so no kernel sees the count change.
 */
export function adaptThreadsToLoad(options: AdaptThreadsOptions = {}): AdaptiveThreads {
  const maxThreads = options.maxThreads ?? availableParallelism();
  if (!Number.isInteger(maxThreads) || maxThreads < 1)
    throw new InvalidNativeOptionError('maxThreads', maxThreads, 'an integer >= 1');
  const intervalMs = options.intervalMs ?? 1000;
  if (!(Number.isFinite(intervalMs) && intervalMs > 0))
    throw new InvalidNativeOptionError('intervalMs', intervalMs, 'a positive number');
  const read = options.read ?? readCpuSample;
  const setThreads =
    options.setThreads ??
    ((threads: number) => {
      const loaded = loadAddon();
      if ('addon' in loaded) loaded.addon.setNumThreads(threads);
    });
  let threads = maxThreads;
  let switches = 0;
  let reducedSeconds = 0;
  let last = read();
  let lastAt = performance.now();
  const active = last !== undefined;
  const check = () => {
    const now = read();
    const at = performance.now();
    if (threads < maxThreads) reducedSeconds += (at - lastAt) / 1000;
    lastAt = at;
    if (now === undefined || last === undefined) return;
    const others = otherProcessesCores(last, now);
    last = now;
    const next = threadsForLoad(threads, others, now.cpus, maxThreads);
    if (next === threads) return;
    threads = next;
    switches++;
    setThreads(threads);
    options.onChange?.(threads, others);
  };
  const timer = active ? setInterval(check, intervalMs) : undefined;
  timer?.unref();
  return {
    maxThreads,
    get threads() {
      return threads;
    },
    get switches() {
      return switches;
    },
    get reducedSeconds() {
      return reducedSeconds + (threads < maxThreads ? (performance.now() - lastAt) / 1000 : 0);
    },
    active,
    check,
    stop() {
      if (timer !== undefined) clearInterval(timer);
      if (threads !== maxThreads) {
        threads = maxThreads;
        setThreads(threads);
      }
    },
  };
}
