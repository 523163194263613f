import { getSearchSpace, type SearchSpace } from '@supernas/search-space';
import { type ArtifactSource, joinPath, readJson } from './artifact-source.js';
import { RunArtifactError } from './errors.js';
import { type ExportMetadata, parseExportMetadata } from './export-metadata.js';

/** The name of the optional index a run folder served over http carries. */
export const webRunManifestName = 'web-run.json';

/**
 * `web-run.json`: what a run folder holds, for sources that cannot list files (http). Paths are
 * relative to the folder. Every field but `format`, `formatVersion` and `subnets` is optional.
 */
export interface WebRunManifest {
  readonly format: 'supernas-web-run';
  readonly formatVersion: 1;
  /** Folders written by `supernas export`, each with `metadata.json`. */
  readonly subnets: readonly string[];
  readonly config?: string;
  readonly metrics?: string;
  readonly results?: string;
  /** An accuracy predictor file (JSON), for `@supernas/predictors`' `loadPredictor`. */
  readonly predictor?: string;
  /** The supernet checkpoint's `model.json`. */
  readonly checkpoint?: string;
  /**
   * Training images for BN calibration of archs run from the supernet: a JSON index
   * (`{ file, count, columns, width, height, channels, batchSize }`) of one PNG sprite.
   */
  readonly calibration?: string;
  /** `samples.json`: sample test images with the run's own predictions. */
  readonly samples?: string;
}

/** One exported subnet of a run. */
export interface RunSubnet {
  /** Its folder in the run (`subnets/min`). */
  readonly path: string;
  readonly metadata: ExportMetadata;
}

/** What `loadRun` found in a run folder. Large files (weights) are read later, on demand. */
export interface LoadedRun {
  readonly source: ArtifactSource;
  readonly manifest: WebRunManifest;
  /** The space of the run's subnets (all exported subnets must share it). */
  readonly space: SearchSpace;
  readonly subnets: readonly RunSubnet[];
  /** `config.json` as the run resolved it, when present. */
  readonly config?: Record<string, unknown>;
  /** `metrics.jsonl`, one record per line, when present. */
  readonly metrics?: readonly Record<string, unknown>[];
}

/**
 * Reads a run's index (`web-run.json`, or, for a source that lists its files, every folder with a
 * `metadata.json`), each exported subnet's metadata, the config and the metrics.
 */
export async function loadRun(source: ArtifactSource): Promise<LoadedRun> {
  const manifest = await readManifest(source);
  if (manifest.subnets.length === 0)
    throw new RunArtifactError(
      source.id,
      'holds no exported subnet (no folder with metadata.json)',
    );
  const subnets = await Promise.all(
    manifest.subnets.map(async (folder) => {
      const path = joinPath(folder, 'metadata.json');
      const metadata = parseExportMetadata(await readJson(source, path), `${source.id}${path}`);
      return { path: joinPath('', folder), metadata };
    }),
  );
  const spaceName = subnets[0]!.metadata.space;
  const other = subnets.find((subnet) => subnet.metadata.space !== spaceName);
  if (other !== undefined) {
    throw new RunArtifactError(
      `${source.id}${other.path}`,
      `is in space '${other.metadata.space}', the run's other subnets in '${spaceName}'`,
    );
  }
  let space: SearchSpace;
  try {
    space = getSearchSpace(spaceName);
  } catch (error) {
    throw new RunArtifactError(`${source.id}${subnets[0]!.path}`, `unknown space '${spaceName}'`, {
      cause: error,
    });
  }
  const config =
    manifest.config === undefined
      ? undefined
      : await readJson<Record<string, unknown>>(source, manifest.config);
  const metrics =
    manifest.metrics === undefined
      ? undefined
      : parseJsonLines(await source.readText(manifest.metrics), manifest.metrics);
  return {
    source,
    manifest,
    space,
    subnets,
    ...(config === undefined ? {} : { config }),
    ...(metrics === undefined ? {} : { metrics }),
  };
}

async function readManifest(source: ArtifactSource): Promise<WebRunManifest> {
  const listed = source.list?.();
  if (listed !== undefined && !listed.includes(webRunManifestName)) return discover(listed);
  const raw = await readJson<Record<string, unknown>>(source, webRunManifestName);
  if (raw.format !== 'supernas-web-run' || raw.formatVersion !== 1) {
    throw new RunArtifactError(
      `${source.id}${webRunManifestName}`,
      `format ${JSON.stringify(raw.format)} version ${JSON.stringify(raw.formatVersion)}, expected 'supernas-web-run' version 1`,
    );
  }
  if (!Array.isArray(raw.subnets) || !raw.subnets.every((entry) => typeof entry === 'string'))
    throw new RunArtifactError(
      `${source.id}${webRunManifestName}`,
      'subnets is not a list of folders',
    );
  return raw as unknown as WebRunManifest;
}

/** The index of a picked folder with no `web-run.json`: found from the file names. */
function discover(paths: readonly string[]): WebRunManifest {
  const has = (path: string) => paths.includes(path);
  const subnets = paths
    .filter((path) => path === 'metadata.json' || path.endsWith('/metadata.json'))
    .map((path) => path.slice(0, path.length - 'metadata.json'.length))
    .sort();
  return {
    format: 'supernas-web-run',
    formatVersion: 1,
    subnets,
    ...(has('config.json') ? { config: 'config.json' } : {}),
    ...(has('metrics.jsonl') ? { metrics: 'metrics.jsonl' } : {}),
    ...(has('results.json') ? { results: 'results.json' } : {}),
    ...(has('predictor.json') ? { predictor: 'predictor.json' } : {}),
    ...(has('checkpoint/model.json') ? { checkpoint: 'checkpoint/model.json' } : {}),
    ...(has('supernet/model.json') && !has('checkpoint/model.json')
      ? { checkpoint: 'supernet/model.json' }
      : {}),
    ...(has('calibration/calibration.json') ? { calibration: 'calibration/calibration.json' } : {}),
    ...(has('samples/samples.json') ? { samples: 'samples/samples.json' } : {}),
  };
}

/** JSON lines: one record per non-empty line; a bad line names its number. */
export function parseJsonLines(text: string, path: string): Record<string, unknown>[] {
  const records: Record<string, unknown>[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    try {
      records.push(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      throw new RunArtifactError(path, `line ${index + 1} is not valid JSON`, { cause: error });
    }
  }
  return records;
}
