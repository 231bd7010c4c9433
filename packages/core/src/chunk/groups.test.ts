import { beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import type { CodecRegistry } from '../codec/pipeline.js';
import { crc32c } from '../util/crc32c.js';
import { MemoryStore } from '../store/memory.js';
import { batchFromRows } from '../schema/builders.js';
import { batchToRows } from '../schema/rows.js';
import { streamNamesFor } from '../schema/streams.js';
import { defineSchema, t } from '../schema/types.js';
import { fetchPlan } from '../plan/fetch.js';
import { fetchChunkHeaders } from '../plan/headers.js';
import { planPages } from '../plan/plan-pages.js';
import { planReads } from '../plan/plan-reads.js';
import { mergePlans } from '../plan/merge.js';
import type { ChunkEntry } from '../dataset/types.js';
import { decodeChunk, decodeChunkPages, decodeChunkStreams, verifyChunk } from './decode.js';
import { encodeChunk } from './encode.js';
import { readChunkHeader } from './header.js';
import { groupsOverlapping, pagePartName } from './groups.js';

const schema = defineSchema({
  pos: t.int32().codec('delta|zigzag|varint|zstd:3'),
  ok: t.bool(),
  name: t.optional(t.string()),
  ops: t.list(t.uint32()),
}, { name: 'grouped' });

const rows = Array.from({ length: 100 }, (_, i) => ({
  pos: i * 10, ok: i % 3 === 0, name: i % 4 === 0 ? null : `r${i}`, ops: Array.from({ length: i % 3 }, (_, k) => i + k),
}));
const groups = [{ records: 32, span: [0, 320] as [number, number] }, { records: 40, span: [320, 720] as [number, number] }, { records: 28, span: [720, 1000] as [number, number] }];

let host: CodecRegistry;
beforeAll(async () => {
  host = await createHost();
});

describe('record groups', () => {
  it('round-trip whole, by streams and by pages, and verify', () => {
    const enc = encodeChunk({ schema, batch: batchFromRows(schema, rows), registry: host, groups });
    expect(enc.layout.groups).toBe(3);
    const { header, batch } = decodeChunk(enc.bytes, host, { name: 'g' });
    expect(batchToRows(batch)).toEqual(rows);
    expect(header.groups.map((g) => [g.firstRecord, g.records, g.span])).toEqual([[0, 32, [0, 320]], [32, 40, [320, 720]], [72, 28, [720, 1000]]]);
    verifyChunk(enc.bytes, host, 'g');
    // Whole streams through the manifest layout.
    const streams = new Map<string, Uint8Array>();
    for (const [name, [o, l]] of Object.entries(enc.layout.streams)) streams.set(name, enc.bytes.subarray(o, o + l));
    expect(batchToRows(decodeChunkStreams(header, streams, host, { name: 'g', fields: ['name'] }))).toEqual(rows.map((r) => ({ name: r.name })));
    // Groups 1..2 from their pages only.
    const pages = new Map<string, Uint8Array>();
    for (const s of streamNamesFor(schema)) {
      const i = header.streams.findIndex((x) => x.name === s);
      for (const g of [1, 2]) {
        const p = header.groups[g]!.pages[i]!;
        pages.set(pagePartName(s, g), enc.bytes.subarray(p.offset, p.offset + p.length));
      }
    }
    expect(batchToRows(decodeChunkPages(header, pages, host, { name: 'g', groups: [1, 2] }))).toEqual(rows.slice(32));
    expect(batchToRows(decodeChunkPages(header, pages, host, { name: 'g', groups: [2], fields: ['pos', 'ok'] }))).toEqual(rows.slice(72).map((r) => ({ pos: r.pos, ok: r.ok })));
    expect(() => decodeChunkPages(header, pages, host, { name: 'g', groups: [0] })).toThrow(InvalidArgumentError);
    const bad = new Map(pages);
    const k = pagePartName('pos', 1);
    const flipped = bad.get(k)!.slice();
    flipped[0]! ^= 1;
    bad.set(k, flipped);
    expect(() => decodeChunkPages(header, bad, host, { name: 'g', groups: [1] })).toThrow(CorruptDataError);
  });

  it('single group keeps the plain layout; misaligned groups are refused', () => {
    const batch = batchFromRows(schema, rows);
    const one = encodeChunk({ schema, batch, registry: host, groups: [{ records: 100 }] });
    const plain = encodeChunk({ schema, batch, registry: host });
    expect(one.bytes).toEqual(plain.bytes);
    expect(plain.layout.groups).toBeUndefined();
    expect(readChunkHeader(plain.bytes, 'p').groups).toHaveLength(1);
    expect(() => encodeChunk({ schema, batch, registry: host, groups: [{ records: 30 }, { records: 70 }] })).toThrow(/multiple of 8/);
    expect(() => encodeChunk({ schema, batch, registry: host, groups: [{ records: 32 }, { records: 60 }] })).toThrow(/hold 92/);
  });

  it('selects overlapping groups and plans only their pages', async () => {
    const enc = encodeChunk({ schema, batch: batchFromRows(schema, rows), registry: host, groups });
    const store = new MemoryStore('mem://groups');
    await store.put('c.bin', enc.bytes);
    const entry: ChunkEntry = { key: 'c.bin', partition: 'p', records: 100, size: enc.bytes.length, digest: '', layout: enc.layout };
    const cache = new Map();
    const [header] = await fetchChunkHeaders(store, [entry], { cache });
    expect(cache.size).toBe(1);
    const sel = groupsOverlapping(header!.groups, [{ start: 300, end: 330 }]);
    expect(sel).toEqual([0, 1]);
    const plan = planPages([{ entry, header: header!, groups: sel }], { streams: streamNamesFor(schema, ['pos']) });
    expect(plan.requestCount).toBe(1);
    expect(plan.bytes).toBeLessThan(planReads([entry], { streams: streamNamesFor(schema, ['pos']) }).bytes);
    for await (const got of fetchPlan(store, plan)) {
      const batch = decodeChunkPages(header!, got.streams, host, { name: 'c', groups: sel, fields: ['pos'] });
      expect(batchToRows(batch)).toEqual(rows.slice(0, 72).map((r) => ({ pos: r.pos })));
    }
  });

  it('merges a page plan with a whole-stream plan in dataset order', async () => {
    const batch = batchFromRows(schema, rows);
    const store = new MemoryStore('mem://groups');
    const entries: ChunkEntry[] = [];
    for (const [key, g] of [['a.bin', undefined], ['b.bin', groups], ['c.bin', undefined]] as const) {
      const enc = encodeChunk({ schema, batch, registry: host, ...(g ? { groups: g } : {}) });
      await store.put(key, enc.bytes);
      entries.push({ key, partition: 'p', records: 100, size: enc.bytes.length, digest: '', layout: enc.layout });
    }
    const [hb] = await fetchChunkHeaders(store, [entries[1]!]);
    const streams = streamNamesFor(schema, ['pos']);
    const rank = new Map(entries.map((e, i) => [e.key, i]));
    const plan = mergePlans([planPages([{ entry: entries[1]!, header: hb!, groups: [2] }], { streams }), planReads([entries[0]!, entries[2]!], { streams })], (k) => rank.get(k)!);
    const got: number[] = [];
    for await (const c of fetchPlan(store, plan)) {
      const batch2 = c.chunk.key === 'b.bin'
        ? decodeChunkPages(hb!, c.streams, host, { name: c.chunk.key, groups: [2], fields: ['pos'] })
        : decodeChunkStreams(readChunkHeader(c.header, c.chunk.key), c.streams, host, { name: c.chunk.key, fields: ['pos'] });
      got.push(batch2.length);
    }
    expect(plan.chunks.map((c) => c.entry.key)).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect(got).toEqual([100, 28, 100]);
  });

  it('rejects a header whose pages disagree with the stream table', () => {
    const enc = encodeChunk({ schema, batch: batchFromRows(schema, rows), registry: host, groups });
    const h = enc.layout.headerLength;
    const text = new TextDecoder().decode(enc.bytes.subarray(16, h - 4));
    const body = JSON.parse(text) as { groups: { pages: number[] }[] };
    body.groups[0]!.pages[0]! += 1;
    const json = new TextEncoder().encode(JSON.stringify(body));
    expect(json.length).toBeLessThanOrEqual(h - 20);
    const copy = enc.bytes.slice();
    copy.fill(0x20, 16, h - 4);
    copy.set(json, 16);
    new DataView(copy.buffer).setUint32(h - 4, crc32c(copy.subarray(0, h - 4)), true);
    expect(() => readChunkHeader(copy, 'x')).toThrow(/pages of stream "pos" total/);
  });
});
