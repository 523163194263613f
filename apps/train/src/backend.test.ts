import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.js';
import { missingTensorflowBinding } from './environment/tensorflow-packages.js';

describe('selectBackend', () => {
  it('auto says in one line per skipped backend why, and how to get the libtensorflow ones', async () => {
    const notes: string[] = [];
    const selected = await selectBackend('auto', (line) => notes.push(line));
    expect(['tensorflow', 'webgpu', 'native', 'wasm', 'cpu']).toContain(selected.name);
    for (const note of notes) {
      expect(note).toMatch(/^skipped: Backend '\w+' is not available: /);
      expect(note).not.toContain('\n');
    }
    if (missingTensorflowBinding('@tensorflow/tfjs-node') !== undefined) {
      expect(notes[0]).toMatch(/tensorflow.*pnpm supernas setup gpu.*pnpm supernas setup cpu/);
    }
  });
});
