import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TorchDump, TorchDumpManifest } from './torch-dump-format.js';
import { TorchImportError } from './torch-import-error.js';

/** Reads `dir/manifest.json` and `dir/tensors.bin` (Node only). */
export async function readTorchDump(dir: string): Promise<TorchDump> {
  const manifestPath = join(dir, 'manifest.json');
  const dataPath = join(dir, 'tensors.bin');
  let text: string;
  let data: Uint8Array;
  try {
    [text, data] = await Promise.all([readFile(manifestPath, 'utf8'), readFile(dataPath)]);
  } catch (error) {
    throw new TorchImportError(
      'format',
      `cannot read the dump in ${dir} (expected manifest.json and tensors.bin written by tools/import_torch.py): ${(error as Error).message}`,
      { actual: dir, cause: error },
    );
  }
  let manifest: TorchDumpManifest;
  try {
    manifest = JSON.parse(text) as TorchDumpManifest;
  } catch (error) {
    throw new TorchImportError(
      'format',
      `${manifestPath} is not JSON: ${(error as Error).message}`,
      { actual: manifestPath, cause: error },
    );
  }
  return { manifest, data };
}
