import { type LoadedRun, readJson } from '@supernas/evaluator';
import * as tf from '@tensorflow/tfjs-core';

/** `calibration/calibration.json`, written by make-demo-run: training images in one PNG. */
interface CalibrationIndex {
  readonly file: string;
  readonly count: number;
  readonly columns: number;
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly batchSize: number;
}

/** Training images (HWC, 0..255) on the active backend, for BN calibration in the page. */
export interface CalibrationImages {
  readonly images: tf.Tensor3D[];
  readonly batchSize: number;
}

/** Reads the run's calibration images, when it ships them (`web-run.json`'s `calibration`). */
export async function loadCalibrationImages(
  run: LoadedRun,
): Promise<CalibrationImages | undefined> {
  const path = run.manifest.calibration;
  if (path === undefined) return undefined;
  const index = await readJson<CalibrationIndex>(run.source, path);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([await run.source.readBytes(index.file)]));
  try {
    image.src = url;
    await image.decode();
  } finally {
    URL.revokeObjectURL(url);
  }
  const sprite = tf.browser.fromPixels(image, index.channels === 1 ? 1 : 3);
  try {
    const images = Array.from({ length: index.count }, (_, i) =>
      tf.slice(
        sprite,
        [Math.floor(i / index.columns) * index.height, (i % index.columns) * index.width, 0],
        [index.height, index.width, -1],
      ),
    );
    return { images, batchSize: index.batchSize };
  } finally {
    sprite.dispose();
  }
}
