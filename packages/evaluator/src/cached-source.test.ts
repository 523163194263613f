import 'fake-indexeddb/auto';
import { createStore } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { cachedSource } from './cached-source.js';
import { memorySource } from './test-utils/memory-source.js';

describe('cachedSource', () => {
  it('reads a file from the source once, then from IndexedDB', async () => {
    const store = createStore('cached-source-test-1', 'files');
    const source = memorySource(new Map([['model.json', '{"a":1}']]));
    const first = cachedSource(source, { store });
    expect(await first.readText('model.json')).toBe('{"a":1}');
    const second = cachedSource(source, { store });
    expect(await second.readText('model.json')).toBe('{"a":1}');
    expect(source.reads.get('model.json')).toBe(1);
  });

  it('refetches when asked to refresh', async () => {
    const store = createStore('cached-source-test-2', 'files');
    const files = new Map([['x.bin', new Uint8Array([1, 2]).buffer as ArrayBuffer]]);
    const source = memorySource(files);
    await cachedSource(source, { store }).readBytes('x.bin');
    files.set('x.bin', new Uint8Array([3]).buffer as ArrayBuffer);
    const fresh = await cachedSource(source, { store, refresh: true }).readBytes('x.bin');
    expect([...new Uint8Array(fresh)]).toEqual([3]);
    expect([...new Uint8Array(await cachedSource(source, { store }).readBytes('x.bin'))]).toEqual([
      3,
    ]);
  });
});
