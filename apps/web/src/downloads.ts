import { readJson } from '@supernas/evaluator';
import { state } from './app-state.js';
import { $ } from './dom.js';

const objectUrls: string[] = [];
/** Download links for the chosen arch: an exported subnet's files, or any arch's arch.json. */
export async function renderDownloads(): Promise<void> {
  const chosen = state.chosen;
  const container = $('downloads');
  for (const url of objectUrls.splice(0)) URL.revokeObjectURL(url);
  if (chosen === undefined) {
    container.replaceChildren();
    return;
  }
  const link = (name: string, bytes: BlobPart) => {
    const url = URL.createObjectURL(new Blob([bytes]));
    objectUrls.push(url);
    return Object.assign(document.createElement('a'), {
      href: url,
      download: name,
      textContent: name,
    });
  };
  const label = document.createElement('span');
  if (chosen.exported === undefined) {
    // Not exported: its BN statistics need calibrating on training images, which the CLI does.
    label.textContent =
      'Download the chosen arch, then export it with `supernas export --run RUN --arch arch.json --out DIR` (BN-calibrated tfjs graph model + ONNX): ';
    const arch = {
      format: 'supernas-arch',
      formatVersion: 1,
      space: state.run!.space.name,
      ...chosen.arch,
    };
    container.replaceChildren(label, link('arch.json', JSON.stringify(arch, null, 2)));
    return;
  }
  const run = state.run!;
  const { path: folder, metadata } = chosen.exported.subnet;
  const files: string[] = ['arch.json', 'metadata.json'];
  if (metadata.files.includes('model.json')) {
    const modelJson = await readJson<{ weightsManifest: { paths: string[] }[] }>(
      run.source,
      `${folder}/model.json`,
    );
    files.unshift('model.json', ...modelJson.weightsManifest.flatMap((group) => group.paths));
  }
  if (metadata.files.includes('model.onnx')) files.unshift('model.onnx');
  const links = await Promise.all(
    files.map(async (file) =>
      link(`${chosen.label}-${file}`, await run.source.readBytes(`${folder}/${file}`)),
    ),
  );
  label.textContent = `Download ${chosen.label}: `;
  container.replaceChildren(label, ...links);
}
