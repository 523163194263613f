import type { SearchSpace } from '@supernas/search-space';

/** The `format` field of a dump's manifest.json, as `tools/import_torch.py` writes it. */
export const torchDumpFormat = 'supernas-torch-dump';
export const torchDumpFormatVersion = 1;

/** One tensor of a dump: PyTorch name and layout, bytes `[offset, offset + length)` of the data. */
export interface TorchDumpTensor {
  readonly name: string;
  /** PyTorch layout: OIHW convs, [C, 1, k, k] depthwise, [out, in] linear. */
  readonly shape: readonly number[];
  readonly dtype: 'float32';
  readonly offset: number;
  readonly length: number;
}

/** `DIR/manifest.json` of a dump. */
export interface TorchDumpManifest {
  readonly format: typeof torchDumpFormat;
  readonly formatVersion: typeof torchDumpFormatVersion;
  readonly space: SearchSpace;
  readonly numClasses: number;
  /** Absent in hand-made dumps: then read off `first_conv.conv.conv.weight`. */
  readonly inputChannels?: number;
  readonly source?: string | null;
  /** Keys of the checkpoint left out of the data (integer buffers such as num_batches_tracked). */
  readonly skipped?: readonly string[];
  readonly tensors: readonly TorchDumpTensor[];
}

/** A dump in memory: the manifest and `tensors.bin` (little-endian float32). */
export interface TorchDump {
  readonly manifest: TorchDumpManifest;
  readonly data: ArrayBuffer | Uint8Array;
}
