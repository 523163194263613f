import { execFile } from 'node:child_process';
import type { DoctorEntry } from './doctor-entry.js';

interface ToolSpec {
  readonly id: string;
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** What supernas uses it for. */
  readonly usedFor: string;
  readonly fix: string;
  /** The version out of the command's output. */
  readonly version: (output: string) => string;
}

// Debian's PyTorch and scikit-learn live in /usr/bin/python3; another python3 may come first on PATH.
const tools: readonly ToolSpec[] = [
  {
    id: 'pytorch',
    name: 'PyTorch',
    command: '/usr/bin/python3',
    args: ['-c', 'import torch; print(torch.__version__)'],
    usedFor: '`supernas import-torch`, the PyTorch reference benchmarks',
    fix: 'apt-get install -y python3-torch',
    version: (output) => output.trim().split('\n').pop() ?? '',
  },
  {
    id: 'scikit-learn',
    name: 'scikit-learn',
    command: '/usr/bin/python3',
    args: ['-c', 'import sklearn; print(sklearn.__version__)'],
    usedFor: "importing the reference accuracy predictor (AttentiveNAS' acc_predictor.joblib)",
    fix: 'apt-get install -y python3-sklearn',
    version: (output) => output.trim().split('\n').pop() ?? '',
  },
  {
    id: 'openmpi',
    name: 'Open MPI',
    command: 'mpirun',
    args: ['--version'],
    usedFor: 'data-parallel training under mpirun',
    fix: 'apt-get install -y openmpi-bin libopenmpi-dev',
    version: (output) => /\d+\.\d+(\.\d+)?/.exec(output)?.[0] ?? output.trim().split('\n')[0] ?? '',
  },
];

function run(
  command: string,
  args: readonly string[],
): Promise<{ ok: boolean; output: string; error: string }> {
  return new Promise((resolvePromise) => {
    execFile(command, [...args], { timeout: 60_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      const firstError =
        error === null
          ? ''
          : (error as NodeJS.ErrnoException).code === 'ENOENT'
            ? `${command} not found`
            : (stderr.trim().split('\n').pop() ?? error.message);
      resolvePromise({ ok: error === null, output: stdout, error: firstError });
    });
  });
}

async function checkTool(tool: ToolSpec): Promise<DoctorEntry> {
  const result = await run(tool.command, tool.args);
  const base = { id: tool.id, name: tool.name };
  if (!result.ok) {
    return {
      ...base,
      usable: false,
      detail: `${result.error} (needed for ${tool.usedFor})`,
      fix: tool.fix,
      info: { version: null },
    };
  }
  const version = tool.version(result.output);
  return {
    ...base,
    usable: true,
    detail: `${version}, for ${tool.usedFor}`,
    fix: null,
    info: { version },
  };
}

/** PyTorch, scikit-learn and Open MPI: the tools that some commands call out to. */
export function checkTools(): Promise<DoctorEntry[]> {
  return Promise.all(tools.map(checkTool));
}
