import { describeObjectStore } from '@genolake/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.js';
import { withMetrics } from './metrics.js';
import { withReadCache } from './read-cache.js';

describeObjectStore('withReadCache(MemoryStore)', async () => ({ store: withReadCache(new MemoryStore('mem://c'), { maxBytes: 1 << 20 }) }));

function setup(maxBytes = 1 << 20) {
  const inner = withMetrics(new MemoryStore('mem://c'));
  const store = withReadCache(inner, { maxBytes });
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  return { inner, store, bytes };
}

describe('withReadCache', () => {
  it('serves repeated and sub-ranges from a cached superset', async () => {
    const { inner, store, bytes } = setup();
    await store.put('k', bytes);
    inner.reset();
    expect(await store.get('k', { range: { offset: 100, length: 500 } })).toEqual(bytes.slice(100, 600));
    expect(await store.get('k', { range: { offset: 100, length: 500 } })).toEqual(bytes.slice(100, 600));
    expect(await store.get('k', { range: { offset: 250, length: 10 } })).toEqual(bytes.slice(250, 260));
    expect(inner.metrics.gets).toBe(1);
    // Not covered: extends past the cached end.
    expect(await store.get('k', { range: { offset: 550, length: 100 } })).toEqual(bytes.slice(550, 650));
    expect(inner.metrics.gets).toBe(2);
    expect(store.cacheStats).toMatchObject({ hits: 2, misses: 2 });
  });

  it('a whole object or a clipped range serves ranges up to and past the end', async () => {
    const { inner, store, bytes } = setup();
    await store.put('k', bytes);
    await store.put('j', bytes);
    inner.reset();
    await store.get('k');
    expect(await store.get('k', { range: { offset: 990, length: 100 } })).toEqual(bytes.slice(990));
    expect((await store.get('k', { range: { offset: 5000, length: 1 } })).byteLength).toBe(0);
    expect(await store.get('k')).toEqual(bytes);
    await store.get('j', { range: { offset: 900, length: 500 } }); // clipped: reached EOF
    expect(await store.get('j', { range: { offset: 950, length: 1000 } })).toEqual(bytes.slice(950));
    expect(inner.metrics.gets).toBe(2);
  });

  it('returns copies, so callers cannot corrupt the cache', async () => {
    const { store, bytes } = setup();
    await store.put('k', bytes);
    const a = await store.get('k');
    a.fill(0);
    expect(await store.get('k')).toEqual(bytes);
  });

  it('invalidates a key on put and delete through the wrapper', async () => {
    const { inner, store } = setup();
    await store.put('k', new Uint8Array([1, 2, 3]));
    await store.get('k');
    await store.put('k', new Uint8Array([4, 5]));
    expect(await store.get('k')).toEqual(new Uint8Array([4, 5]));
    await store.delete('k');
    await expect(store.get('k')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(inner.metrics.gets).toBe(3);
  });

  it('does not cache a get that raced a put of the same key', async () => {
    const { store } = setup();
    await store.put('k', new Uint8Array([1]));
    const pending = store.get('k');
    await store.put('k', new Uint8Array([2]));
    await pending;
    expect(await store.get('k')).toEqual(new Uint8Array([2]));
  });

  it('stays within maxBytes, evicting the least recently used entry', async () => {
    const { inner, store } = setup(2500);
    for (const k of ['a', 'b', 'c']) await store.put(k, new Uint8Array(1000));
    inner.reset();
    await store.get('a');
    await store.get('b');
    await store.get('a'); // a is now the most recent
    await store.get('c'); // evicts b
    expect(store.cacheStats.bytes).toBeLessThanOrEqual(2500);
    expect(store.cacheStats.entries).toBe(2);
    await store.get('a');
    expect(inner.metrics.gets).toBe(3);
    await store.get('b');
    expect(inner.metrics.gets).toBe(4);
    await store.put('huge', new Uint8Array(5000));
    await store.get('huge');
    expect(store.cacheStats.bytes).toBeLessThanOrEqual(2500);
  });
});
