import type { Supernet } from '../types.js';
import { type ImportTorchDumpOptions, importTorchDump } from './import-torch-dump.js';
import { readTorchDump } from './read-torch-dump.js';

/** `importTorchDump` of the dump folder that `tools/import_torch.py` wrote (Node only). */
export async function importTorchDumpFolder(
  dir: string,
  options: ImportTorchDumpOptions = {},
): Promise<Supernet> {
  return importTorchDump(await readTorchDump(dir), options);
}
