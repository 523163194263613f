import { classify } from '@supernas/evaluator';
import { state } from './app-state.js';
import { $ } from './dom.js';

export async function imageFromBytes(bytes: ArrayBuffer): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = URL.createObjectURL(new Blob([bytes]));
  await image.decode();
  return image;
}

function predictionCard(image: HTMLImageElement, text: string, verdict?: boolean): HTMLElement {
  const card = document.createElement('div');
  card.className = 'sample';
  image.alt = text;
  const caption = document.createElement('div');
  caption.textContent = text;
  if (verdict !== undefined) caption.className = verdict ? 'ok' : 'wrong';
  card.append(image, caption);
  return card;
}

/** The sample test images, classified by the chosen arch (green when right). */
export async function classifySamples(): Promise<void> {
  const chosen = state.chosen;
  if (chosen === undefined || state.samples.length === 0) return;
  const cards: HTMLElement[] = [];
  for (const sample of state.samples) {
    const image = await imageFromBytes(await state.run!.source.readBytes(sample.file));
    const { top } = await classify(chosen.runner, chosen.metadata, image, { topK: 1 });
    const best = top[0]!;
    const correct = best.index === sample.label;
    cards.push(
      predictionCard(
        image,
        `${best.label} ${(100 * best.probability).toFixed(0)}% (truth: ${sample.labelName})`,
        correct,
      ),
    );
  }
  $('samples').replaceChildren(...cards);
}

/** An image picked or dropped on the page, classified by the chosen arch. */
export async function classifyFile(file: File): Promise<void> {
  const chosen = state.chosen;
  if (chosen === undefined) return;
  const image = await imageFromBytes(await file.arrayBuffer());
  const { top } = await classify(chosen.runner, chosen.metadata, image, { topK: 3 });
  const text = top
    .map((prediction) => `${prediction.label} ${(100 * prediction.probability).toFixed(0)}%`)
    .join(', ');
  $('dropped').prepend(predictionCard(image, `${file.name}: ${text}`));
}
