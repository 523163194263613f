import { execFile } from 'node:child_process';

/** The prefix of the line a probe script prints its JSON result on. */
export const probeResultPrefix = 'SUPERNAS_PROBE ';

export interface ProbeOutcome {
  /** The JSON the script printed after `probeResultPrefix`, or undefined when it printed none. */
  readonly result: unknown;
  /** Everything the script and the native code it loaded wrote to stderr. */
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly timedOut: boolean;
}

export interface RunProbeOptions {
  /** Added to the environment of the child (e.g. the module to import). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/**
 * Runs an ES module `script` in a child Node process with its stdout and stderr captured, so
 * what native libraries print while they load (Dawn's Vulkan warnings, TensorFlow's logs) stays
 * out of the user's terminal, and a library that crashes or hangs takes only the child down.
 */
export function runProbe(script: string, options: RunProbeOptions = {}): Promise<ProbeOutcome> {
  return new Promise((resolvePromise) => {
    execFile(
      process.execPath,
      ['--input-type=module', '--eval', script],
      {
        env: { ...process.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        const line = stdout
          .split('\n')
          .reverse()
          .find((candidate) => candidate.startsWith(probeResultPrefix));
        let result: unknown;
        try {
          result =
            line === undefined ? undefined : JSON.parse(line.slice(probeResultPrefix.length));
        } catch {
          result = undefined;
        }
        const failure = error as (Error & { code?: unknown; killed?: boolean }) | null;
        resolvePromise({
          result,
          stderr,
          exitCode: failure === null ? 0 : typeof failure.code === 'number' ? failure.code : null,
          timedOut: failure?.killed === true,
        });
      },
    );
  });
}
