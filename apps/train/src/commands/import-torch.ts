import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveSupernet, TorchImportError } from '@supernas/elastic';
import { fileSystemHandler, importTorchDumpFolder } from '@supernas/elastic/node';
import { getSearchSpace, presetNames, type SearchSpace } from '@supernas/search-space';
import * as tf from '@tensorflow/tfjs-core';
import type { Command } from 'commander';
import { type CliIo, processIo } from '../cli-io.js';
import { withFileErrors } from '../run/run-file-error.js';
import { ensureWritableDirectory } from '../run/writable-directory.js';

interface ImportTorchOptions {
  readonly space: string;
  readonly out: string;
  readonly ema?: boolean;
  readonly dumpDir?: string;
}

/** The Python that has torch: Debian's, unless SUPERNAS_PYTHON says otherwise. */
export function torchPython(env: NodeJS.ProcessEnv = process.env): string {
  return env.SUPERNAS_PYTHON ?? '/usr/bin/python3';
}

/** `tools/import_torch.py` of this repository (same depth from src/ and dist/). */
export function importTorchTool(): string {
  return fileURLToPath(new URL('../../../../tools/import_torch.py', import.meta.url));
}

async function readSpace(name: string): Promise<SearchSpace> {
  if (!name.endsWith('.json')) return getSearchSpace(name);
  return JSON.parse(await readFile(name, 'utf8')) as SearchSpace;
}

/** Building weights needs a backend but no compute: keep the chosen one, or take cpu. */
async function ensureBackend(): Promise<void> {
  const current: string | null | undefined = tf.engine().backendName;
  if (current !== null && current !== undefined) return;
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
}

function runTool(python: string, args: readonly string[], io: CliIo): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.on('data', (chunk) => io.stdout(String(chunk)));
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
    });
    child.on('error', (error) =>
      fail(
        new TorchImportError(
          'checkpoint',
          `cannot run ${python} (${error.message}); install PyTorch (apt-get install python3-torch) or set SUPERNAS_PYTHON`,
          { actual: python },
        ),
      ),
    );
    child.on('close', (code) => {
      if (code === 0) return done();
      const reason = stderr.trim().replace(/^import_torch: /, '') || `exit status ${code}`;
      fail(new TorchImportError('checkpoint', reason, { actual: args[0] }));
    });
  });
}

/**
 * Converts a PyTorch AttentiveNAS / AlphaNet supernet checkpoint into a supernas checkpoint:
 * `tools/import_torch.py` (PyTorch) checks it and writes a neutral dump, `importTorchDump`
 * builds the supernet in tfjs layouts, `saveSupernet` writes it.
 */
export async function importTorchCheckpoint(
  checkpoint: string,
  options: ImportTorchOptions,
  io: CliIo = processIo,
): Promise<{ readonly tensors: number; readonly parameters: number }> {
  const space = await readSpace(options.space);
  // Before PyTorch runs: a folder that cannot be written fails in a second.
  await ensureWritableDirectory(options.out, '--out');
  if (options.dumpDir !== undefined) await ensureWritableDirectory(options.dumpDir, '--dump-dir');
  const tool = importTorchTool();
  if (!existsSync(tool)) {
    throw new TorchImportError(
      'checkpoint',
      `the converter ${tool} is missing; run from a supernas checkout`,
      {
        actual: tool,
      },
    );
  }
  const dumpDir = options.dumpDir ?? (await mkdtemp(join(tmpdir(), 'supernas-torch-dump-')));
  try {
    const args = [tool, resolve(checkpoint), '--space', options.space, '--out', dumpDir];
    await runTool(torchPython(), options.ema ? [...args, '--ema'] : args, io);
    await ensureBackend();
    const supernet = await importTorchDumpFolder(dumpDir, { space });
    try {
      await withFileErrors('the checkpoint in', options.out, () =>
        saveSupernet(supernet, fileSystemHandler(options.out), {
          metadata: { importedFrom: resolve(checkpoint), converter: 'tools/import_torch.py' },
        }),
      );
      let parameters = 0;
      for (const name of supernet.trainableNames)
        parameters += supernet.variables.get(name)?.size ?? 0;
      return { tensors: supernet.variables.size, parameters };
    } finally {
      supernet.dispose();
    }
  } finally {
    if (options.dumpDir === undefined) await rm(dumpDir, { recursive: true, force: true });
  }
}

/** `supernas import-torch CHECKPOINT --space attentivenas --out DIR`. */
export function registerImportTorchCommand(program: Command, io: CliIo = processIo): void {
  program
    .command('import-torch')
    .description(
      'convert a PyTorch AttentiveNAS / AlphaNet supernet checkpoint ({"state_dict": ...}) into a supernas checkpoint (needs PyTorch: /usr/bin/python3 or SUPERNAS_PYTHON)',
    )
    .argument('<checkpoint>', '.pth / .pth.tar file; a "module." prefix is stripped')
    .requiredOption(
      '--space <name>',
      `search space: ${presetNames.join(', ')}, or a space JSON file`,
    )
    .requiredOption('--out <dir>', 'folder for the supernas checkpoint (model.json + weights)')
    .option('--ema', 'use "state_dict_ema" when the checkpoint has one')
    .option('--dump-dir <dir>', 'keep the intermediate PyTorch dump in this folder')
    .action(async (checkpoint: string, options: ImportTorchOptions) => {
      const { tensors, parameters } = await importTorchCheckpoint(checkpoint, options, io);
      io.stdout(
        `saved ${tensors} tensors (${parameters} trainable parameters) to ${options.out}\n`,
      );
    });
}
