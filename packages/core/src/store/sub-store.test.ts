import { describeObjectStore } from '@genolake/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.js';
import { subStore } from './sub-store.js';

describeObjectStore('subStore(MemoryStore, "p/q")', async () => {
  const inner = new MemoryStore('mem://s');
  await inner.put('p/qq', new Uint8Array(1)); // shares the string prefix but not the directory
  await inner.put('other', new Uint8Array(1));
  return { store: subStore(inner, 'p/q') };
});

describe('subStore', () => {
  it('maps keys under the prefix and strips it from listings', async () => {
    const inner = new MemoryStore('mem://s');
    const view = subStore(inner, '/ds/one/');
    expect(view.url).toBe('mem://s/ds/one');
    const info = await view.put('_manifest/1.json', new Uint8Array([1]));
    expect(info.key).toBe('_manifest/1.json');
    expect((await inner.head('ds/one/_manifest/1.json')).size).toBe(1);
    await inner.put('ds/one-other/x', new Uint8Array(1));
    const keys: string[] = [];
    for await (const o of view.list('')) keys.push(o.key);
    expect(keys).toEqual(['_manifest/1.json']);
    expect((await view.head('_manifest/1.json')).key).toBe('_manifest/1.json');
    expect(subStore(inner, '')).toBe(inner);
  });

  it('rejects keys that would climb out of the prefix and bad prefixes', async () => {
    const view = subStore(new MemoryStore('mem://s'), 'ds');
    await expect(view.get('../secret')).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(() => subStore(new MemoryStore('mem://s'), 'a/../b')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});
