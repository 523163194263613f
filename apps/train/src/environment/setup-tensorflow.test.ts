import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SupernasError } from '@supernas/errors';
import { describe, expect, it } from 'vitest';
import {
  type CommandRunner,
  setupTensorflow,
  summarizeInstallFailure,
  TensorflowSetupError,
} from './setup-tensorflow.js';

// What pnpm 10 printed here for `pnpm add @tensorflow/tfjs-node@4.22.0 --allow-build=...`.
const failedInstallOutput = `Packages: +125
.../node_modules/@tensorflow/tfjs-node install$ node scripts/install.js
.../node_modules/@tensorflow/tfjs-node install: CPU-linux-4.22.0.tar.gz
.../node_modules/@tensorflow/tfjs-node install: * Downloading libtensorflow
.../node_modules/@tensorflow/tfjs-node install: https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz
.../node_modules/@tensorflow/tfjs-node install: node:events:502
.../node_modules/@tensorflow/tfjs-node install:       throw er; // Unhandled 'error' event
.../node_modules/@tensorflow/tfjs-node install: Error: getaddrinfo ENOTFOUND storage.googleapis.com
.../node_modules/@tensorflow/tfjs-node install:     at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)
.../node_modules/@tensorflow/tfjs-node install: Failed
 ELIFECYCLE  Command failed with exit code 1.
`;

function fakeWorkspace(): { root: string; app: string } {
  const root = mkdtempSync(join(tmpdir(), 'supernas-setup-'));
  const app = join(root, 'apps', 'train');
  mkdirSync(app, { recursive: true });
  writeFileSync(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
  writeFileSync(join(root, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  writeFileSync(join(app, 'package.json'), '{"name":"@supernas/train-app"}\n');
  return { root, app };
}

describe('summarizeInstallFailure', () => {
  it('names the download and the network error in one line', () => {
    expect(summarizeInstallFailure(failedInstallOutput)).toBe(
      'could not download libtensorflow (https://storage.googleapis.com/tensorflow/libtensorflow/libtensorflow-cpu-linux-x86_64-2.9.1.tar.gz: getaddrinfo ENOTFOUND storage.googleapis.com)',
    );
  });

  it('falls back to the last line of output', () => {
    expect(summarizeInstallFailure('resolving\nsomething odd happened\n')).toBe(
      'something odd happened',
    );
  });
});

describe('setupTensorflow', () => {
  it('runs pnpm add with the build script allowed, and on failure restores the manifests and says why in one line', async () => {
    const { root, app } = fakeWorkspace();
    const calls: Array<{ args: readonly string[]; cwd: string }> = [];
    const run: CommandRunner = async (_command, args, cwd) => {
      calls.push({ args, cwd });
      if (args[0] === 'add') {
        writeFileSync(
          join(root, 'pnpm-workspace.yaml'),
          'onlyBuiltDependencies:\n  - "@tensorflow/tfjs-node"\n',
        );
        writeFileSync(join(app, 'package.json'), '{"changed":true}\n');
        mkdirSync(join(app, 'node_modules', '@tensorflow', 'tfjs-node', 'lib'), {
          recursive: true,
        });
        return { exitCode: 1, output: failedInstallOutput };
      }
      return { exitCode: 0, output: '' };
    };
    const error = await setupTensorflow('cpu', { appDir: app, run }).catch((caught) => caught);
    expect(error).toBeInstanceOf(TensorflowSetupError);
    expect(SupernasError.hasCode(error, 'tensorflow_setup_failed')).toBe(true);
    expect(error.message).not.toContain('\n');
    expect(error.message).toMatch(
      /^installing @tensorflow\/tfjs-node failed: could not download libtensorflow .*ENOTFOUND storage\.googleapis\.com\); nothing was changed\. --backend auto still runs on (native \(oneDNN\), )?wasm, cpu \(/,
    );
    expect(calls[0]?.args).toEqual([
      'add',
      '@tensorflow/tfjs-node@4.22.0',
      '--allow-build=@tensorflow/tfjs-node',
    ]);
    expect(calls[0]?.cwd).toBe(app);
    expect(calls[1]).toEqual({ args: ['install', '--offline'], cwd: join(app, '..', '..') });
    expect(existsSync(join(app, 'node_modules', '@tensorflow', 'tfjs-node'))).toBe(false);
    expect(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8')).toBe('packages:\n  - apps/*\n');
    expect(readFileSync(join(app, 'package.json'), 'utf8')).toBe(
      '{"name":"@supernas/train-app"}\n',
    );
  });

  it('fails when pnpm succeeded but left no libtensorflow binding', async () => {
    const { app } = fakeWorkspace();
    const run: CommandRunner = async () => ({ exitCode: 0, output: '' });
    await expect(setupTensorflow('gpu', { appDir: app, run })).rejects.toThrow(
      /installing @tensorflow\/tfjs-node-gpu failed: @tensorflow\/tfjs-node-gpu not installed/,
    );
  });

  it('rejects an unknown target', async () => {
    await expect(
      setupTensorflow('tpu' as 'gpu', { run: async () => ({ exitCode: 0, output: '' }) }),
    ).rejects.toThrow("setup target is 'tpu', expected one of gpu, cpu");
  });
});
