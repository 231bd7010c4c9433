import { describe, expect, it } from 'vitest';
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { ChunkEntry } from '../dataset/types.js';
import { MemoryStore } from '../store/memory.js';
import type { GetOptions, ObjectStore } from '../store/types.js';
import { explainPlan } from './explain.js';
import { fetchPlan } from './fetch.js';
import { planReads } from './plan-reads.js';

const KiB = 1024;

/** A chunk entry with a header and streams at the given [offset, length]. */
function chunk(key: string, size: number, headerLength: number, streams: Record<string, [number, number]>): ChunkEntry {
  return { key, partition: 'p', records: 1, size, digest: 'sha256:0', layout: { headerLength, streams } };
}

/** Counts gets and bytes, tracks requests in flight, and can delay answers. */
class CountingStore {
  gets: { key: string; offset: number; length: number }[] = [];
  bytes = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(
    readonly inner: ObjectStore,
    private readonly delay: (key: string) => number = () => 0,
  ) {}
  get store(): ObjectStore {
    return Object.assign(Object.create(this.inner) as ObjectStore, {
      url: this.inner.url,
      capabilities: this.inner.capabilities,
      get: async (key: string, options?: GetOptions) => {
        if (!options?.range) throw new Error(`unbounded get of ${key}`);
        this.gets.push({ key, ...options.range });
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        try {
          await new Promise((r) => setTimeout(r, this.delay(key)));
          const out = await this.inner.get(key, options);
          this.bytes += out.byteLength;
          return out;
        } finally {
          this.inFlight--;
        }
      },
    });
  }
}

/** Byte equality without vitest's element-by-element diffing (slow on 100 KiB arrays). */
function same(a: Uint8Array | undefined, b: Uint8Array): boolean {
  return a !== undefined && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function bytesOf(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed * 7) & 0xff;
  return b;
}

describe('planReads', () => {
  const c = chunk('c0', 300 * KiB, 100, { a: [100, 50], b: [150, 1000], far: [200 * KiB, 10], empty: [1150, 0] });

  it('reads the header and only the needed streams, coalescing small gaps', () => {
    const plan = planReads([c], { streams: ['a', 'far'] });
    expect(plan.requests.map((r) => [r.offset, r.length])).toEqual([[0, 150], [200 * KiB, 10]]);
    expect(plan.requests[0]!.parts.map((p) => p.part)).toEqual(['@header', 'a']);
    expect(plan).toMatchObject({ objects: 1, requestCount: 2, bytes: 160, usefulBytes: 160 });
    // 'far' is 200 KiB away: merging would fetch ~200 KiB of gap.
    const wide = planReads([c], { streams: ['a', 'far'], coalesceGap: 256 * KiB });
    expect(wide.requests.map((r) => [r.offset, r.length])).toEqual([[0, 200 * KiB + 10]]);
    expect(wide.bytes - wide.usefulBytes).toBe(200 * KiB - 150);
  });

  it('coalesces at exactly coalesceGap and not one byte beyond', () => {
    const g = chunk('g', 10_000, 10, { x: [110, 10], y: [1120, 10] });
    expect(planReads([g], { coalesceGap: 99 }).requestCount).toBe(3);
    expect(planReads([g], { coalesceGap: 100 }).requestCount).toBe(2);
    expect(planReads([g], { coalesceGap: 1000 }).requestCount).toBe(1);
    expect(planReads([g], { coalesceGap: 0, streams: [] }).requests).toEqual([{ key: 'g', offset: 0, length: 10, parts: [{ chunk: 'g', part: '@header', offset: 0, length: 10 }] }]);
    const adjacent = chunk('adj', 100, 10, { x: [10, 5] });
    expect(planReads([adjacent], { coalesceGap: 0 }).requestCount).toBe(1);
  });

  it('keeps merged requests under maxRequestBytes and splits a bigger part', () => {
    const big = chunk('big', 100_000, 100, { s: [100, 900], t: [1000, 50_000] });
    const plan = planReads([big], { maxRequestBytes: 20_000 });
    expect(plan.requests.every((r) => r.length <= 20_000)).toBe(true);
    expect(plan.requests.map((r) => [r.offset, r.length])).toEqual([[0, 20_000], [20_000, 20_000], [40_000, 11_000]]);
    // A window that would hold only gap bytes is not requested.
    const sparse = chunk('sparse', 100_000, 10, { x: [50_000, 10] });
    expect(planReads([sparse], { coalesceGap: 60_000, maxRequestBytes: 20_000 }).requests.map((r) => [r.offset, r.length])).toEqual([[0, 10], [50_000, 10]]);
    expect(plan.bytes).toBe(51_000);
  });

  it('reads a chunk without layout as one bounded range, and checks its inputs', () => {
    const plain: ChunkEntry = { key: 'plain', partition: 'p', records: 1, size: 1234, digest: 'sha256:0' };
    expect(planReads([plain]).requests).toEqual([{ key: 'plain', offset: 0, length: 1234, parts: [{ chunk: 'plain', part: '@object', offset: 0, length: 1234 }] }]);
    expect(() => planReads([c], { streams: ['nope'] })).toThrow(InvalidArgumentError);
    expect(() => planReads([c, c])).toThrow(InvalidArgumentError);
    expect(() => planReads([chunk('bad', 100, 10, { x: [90, 20] })])).toThrow(CorruptDataError);
    expect(() => planReads([c], { coalesceGap: -1 })).toThrow(InvalidArgumentError);
  });

  it('explains a plan without fetching', () => {
    const report = explainPlan(planReads([c], { streams: ['b'] }), ['2 of 9 chunks after zone maps']);
    expect(report).toMatchObject({ objects: 1, requests: 1, bytes: 1150, ranges: [{ key: 'c0', offset: 0, length: 1150 }] });
    expect(report.notes![0]).toBe('2 of 9 chunks after zone maps');
    expect(report.notes!.join('\n')).toContain('streams: b');
  });
});

describe('fetchPlan', () => {
  async function dataset(n: number): Promise<{ store: MemoryStore; chunks: ChunkEntry[]; objects: Uint8Array[] }> {
    const store = new MemoryStore('mem://fetch');
    const chunks: ChunkEntry[] = [];
    const objects: Uint8Array[] = [];
    for (let i = 0; i < n; i++) {
      const bytes = bytesOf(400 * KiB, i);
      await store.put(`c${i}`, bytes);
      objects.push(bytes);
      chunks.push(chunk(`c${i}`, bytes.byteLength, 64, { pos: [64, 1000], seq: [1064, 100 * KiB], qual: [1064 + 100 * KiB, 200 * KiB], empty: [400 * KiB, 0] }));
    }
    return { store, chunks, objects };
  }

  it('fetches exactly the planned ranges and hands back the right bytes', async () => {
    const { store, chunks, objects } = await dataset(5);
    const counting = new CountingStore(store);
    const plan = planReads(chunks, { streams: ['pos', 'qual', 'empty'] });
    const got: string[] = [];
    for await (const f of fetchPlan(counting.store, plan, { concurrency: 3 })) {
      const i = Number(f.chunk.key.slice(1));
      got.push(f.chunk.key);
      expect(same(f.header, objects[i]!.subarray(0, 64))).toBe(true);
      expect(same(f.streams.get('pos'), objects[i]!.subarray(64, 1064))).toBe(true);
      expect(same(f.streams.get('qual'), objects[i]!.subarray(1064 + 100 * KiB, 1064 + 300 * KiB))).toBe(true);
      expect(f.streams.get('empty')).toEqual(new Uint8Array(0));
      expect([...f.streams.keys()]).toEqual(['pos', 'qual', 'empty']);
    }
    expect(got).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(counting.gets.length).toBe(plan.requestCount);
    expect(counting.gets.length).toBe(10); // header+pos, then qual: seq's 100 KiB gap is not fetched
    expect(counting.bytes).toBe(plan.bytes);
    // No byte of the unrequested 'seq' stream was read.
    for (const g of counting.gets) expect(g.offset >= 1064 + 100 * KiB || g.offset + g.length <= 1064).toBe(true);
  });

  it('yields in plan order while enforcing the concurrency limit and bounded buffering', async () => {
    const { store, chunks } = await dataset(12);
    // Early chunks are slow, so later ones finish first.
    const counting = new CountingStore(store, (key) => (Number(key.slice(1)) % 4 === 0 ? 30 : 1));
    const plan = planReads(chunks, { streams: 'all', maxRequestBytes: 64 * KiB });
    const order: string[] = [];
    let maxAhead = 0;
    for await (const f of fetchPlan(counting.store, plan, { concurrency: 4 })) {
      order.push(f.chunk.key);
      await new Promise((r) => setTimeout(r, 5)); // a slow consumer
      const started = Math.max(...counting.gets.map((g) => Number(g.key.slice(1))));
      maxAhead = Math.max(maxAhead, started - (order.length - 1));
      const i = Number(f.chunk.key.slice(1));
      expect(same(f.streams.get('qual'), bytesOf(400 * KiB, i).subarray(1064 + 100 * KiB, 1064 + 300 * KiB))).toBe(true);
      expect(same(f.streams.get('seq'), bytesOf(400 * KiB, i).subarray(1064, 1064 + 100 * KiB))).toBe(true);
    }
    expect(order).toEqual(chunks.map((c) => c.key));
    expect(counting.maxInFlight).toBeLessThanOrEqual(4);
    expect(counting.maxInFlight).toBeGreaterThan(1);
    expect(maxAhead).toBeLessThanOrEqual(4);
    expect(counting.gets.every((g) => g.length <= 64 * KiB)).toBe(true);
  });

  it('keeps fetched-but-unconsumed bytes under maxBufferedBytes, yet always makes progress', async () => {
    const { store, chunks } = await dataset(8);
    const counting = new CountingStore(store, () => 1);
    const plan = planReads(chunks, { streams: 'all' });
    const perChunk = plan.bytes / chunks.length; // ~400 KiB each
    const budget = Math.floor(perChunk * 1.5);
    let maxBufferedAhead = 0;
    let consumed = 0;
    const order: string[] = [];
    for await (const f of fetchPlan(counting.store, plan, { concurrency: 8, maxBufferedBytes: budget })) {
      order.push(f.chunk.key);
      await new Promise((r) => setTimeout(r, 10)); // slow consumer: fetches would run ahead
      consumed += perChunk;
      maxBufferedAhead = Math.max(maxBufferedAhead, counting.bytes - consumed);
    }
    expect(order).toEqual(chunks.map((c) => c.key));
    // Beyond the chunk being handed over, about the budget is fetched ahead (plus the next chunk,
    // which is always allowed); without the budget, 8 in flight would run ~7 chunks ahead.
    expect(maxBufferedAhead).toBeLessThanOrEqual(budget + perChunk);
    // A budget smaller than one chunk still completes, one chunk at a time.
    const tiny = [];
    for await (const f of fetchPlan(store, plan, { maxBufferedBytes: 1 })) tiny.push(f.chunk.key);
    expect(tiny).toHaveLength(8);
    await expect((async () => { for await (const _ of fetchPlan(store, plan, { maxBufferedBytes: 0 })) void _; })()).rejects.toThrow(InvalidArgumentError);
  });

  it('treats a short read as corruption, naming the key and range', async () => {
    const { store, chunks } = await dataset(2);
    await store.put('c1', bytesOf(1000, 1)); // truncated behind the manifest's back
    const plan = planReads(chunks, { streams: ['qual'] });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const f of fetchPlan(store, plan)) seen.push(f.chunk.key);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/mem:\/\/fetch\/c1.*bytes \d+-\d+/);
  });

  it('stops fetching when the consumer stops', async () => {
    const { store, chunks } = await dataset(10);
    const counting = new CountingStore(store, () => 2);
    for await (const f of fetchPlan(counting.store, planReads(chunks), { concurrency: 2 })) {
      expect(f.chunk.key).toBe('c0');
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(counting.gets.length).toBeLessThanOrEqual(2 * 3);
  });

  it('yields chunks with nothing to fetch', async () => {
    const empty: ChunkEntry = { key: 'e', partition: 'p', records: 0, size: 0, digest: 'sha256:0' };
    const out = [];
    for await (const f of fetchPlan(new MemoryStore('mem://x'), planReads([empty]))) out.push(f);
    expect(out).toHaveLength(1);
    expect(out[0]!.header.byteLength).toBe(0);
  });
});
