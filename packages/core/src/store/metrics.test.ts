import { describeObjectStore } from '@genolake/testkit';
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.js';
import { withMetrics } from './metrics.js';

describeObjectStore('withMetrics(MemoryStore)', async () => ({ store: withMetrics(new MemoryStore('mem://m')) }));

describe('withMetrics', () => {
  it('counts requests, bytes and ranges per operation', async () => {
    const store = withMetrics(new MemoryStore('mem://m'));
    await store.put('a', new Uint8Array(100));
    async function* body() {
      yield new Uint8Array(30);
      yield new Uint8Array(12);
    }
    await store.put('b', body());
    await store.get('a');
    await store.get('a', { range: { offset: 10, length: 20 } });
    await store.get('a', { range: { offset: 90, length: 20 } });
    await store.head('b');
    for await (const _ of store.list('')) void _;
    await store.delete('b');
    await store.get('missing').catch(() => undefined);
    expect(store.metrics).toEqual({
      requests: 9,
      gets: 4,
      heads: 1,
      puts: 2,
      lists: 1,
      deletes: 1,
      bytesRead: 100 + 20 + 10,
      bytesWritten: 142,
      ranges: [
        { key: 'a', offset: 0, length: 100, whole: true },
        { key: 'a', offset: 10, length: 20 },
        { key: 'a', offset: 90, length: 20 },
      ],
    });
    const m = store.metrics;
    store.reset();
    expect(store.metrics).toBe(m);
    expect(m.requests).toBe(0);
    expect(m.ranges).toEqual([]);
  });
});
