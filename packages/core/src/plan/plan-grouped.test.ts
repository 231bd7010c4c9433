import { beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import type { CodecRegistry } from '../codec/pipeline.js';
import { encodeChunk } from '../chunk/encode.js';
import type { ChunkHeader } from '../chunk/header.js';
import { groupsOverlapping } from '../chunk/groups.js';
import type { ChunkEntry } from '../dataset/types.js';
import { batchFromRows } from '../schema/builders.js';
import { streamNamesFor } from '../schema/streams.js';
import { defineSchema, t } from '../schema/types.js';
import { withMetrics } from '../store/metrics.js';
import { MemoryStore } from '../store/memory.js';
import { explainPlan } from './explain.js';
import { fetchPlan } from './fetch.js';
import { planGroupedReads } from './plan-grouped.js';
import { planReads } from './plan-reads.js';

const schema = defineSchema({ pos: t.int32().codec('delta|zigzag|varint|zstd:3'), name: t.string() }, { name: 'g' });
const rows = Array.from({ length: 96 }, (_, i) => ({ pos: i * 10, name: `read${i}`.repeat(20) }));
const groups = [{ records: 32, span: [0, 320] as [number, number] }, { records: 32, span: [320, 640] as [number, number] }, { records: 32, span: [640, 960] as [number, number] }];

let host: CodecRegistry;
let store: MemoryStore;
let entries: ChunkEntry[];
beforeAll(async () => {
  host = await createHost();
  store = new MemoryStore('mem://grouped');
  entries = [];
  // a: no groups; b, c: three groups each.
  for (const [key, g] of [['a.bin', undefined], ['b.bin', groups], ['c.bin', groups]] as const) {
    const enc = encodeChunk({ schema, batch: batchFromRows(schema, rows), registry: host, ...(g ? { groups: g } : {}) });
    await store.put(key, enc.bytes);
    entries.push({ key, partition: 'p', records: rows.length, size: enc.bytes.length, digest: '', layout: enc.layout });
  }
});

describe('planGroupedReads and explain', () => {
  const streams = streamNamesFor(schema, ['pos', 'name']);
  const select = (_e: ChunkEntry, h: ChunkHeader) => groupsOverlapping(h.groups, [{ start: 330, end: 340 }]);

  it('reads only headers (bounded, metadata) and plans exactly the pages the query fetches', async () => {
    const metered = withMetrics(store);
    const { plan, selections, headerReads } = await planGroupedReads(metered, entries, { streams, selectGroups: select });
    // One bounded header read per chunk with groups, nothing else.
    expect(headerReads.map((r) => [r.key, r.offset, r.length])).toEqual(
      entries.slice(1).map((e) => [e.key, 0, e.layout!.headerLength]),
    );
    expect(metered.metrics.requests).toBe(2);
    expect(metered.metrics.bytesRead).toBe(headerReads.reduce((n, r) => n + r.length, 0));
    expect(selections.map((s) => [s.entry.key, s.groups])).toEqual([['b.bin', [1]], ['c.bin', [1]]]);
    expect(plan.chunks.map((c) => c.entry.key)).toEqual(['a.bin', 'b.bin', 'c.bin']);
    expect(plan.bytes).toBeLessThan(planReads(entries, { streams }).bytes);

    // The report: totals include header reads; ranges are exactly what fetchPlan then gets.
    const report = explainPlan(plan, ['n'], headerReads);
    expect(report.headerReads).toEqual({ requests: 2, bytes: metered.metrics.bytesRead, ranges: headerReads });
    expect(report.requests).toBe(plan.requestCount + 2);
    expect(report.bytes).toBe(plan.bytes + metered.metrics.bytesRead);
    expect(report.objects).toBe(3);
    expect(report.notes).toContain(`header reads: 2 requests, ${metered.metrics.bytesRead} bytes (metadata only); data reads: ${plan.requestCount} requests, ${plan.bytes} bytes`);
    expect(report.notes!.some((n) => n.includes('streams: pos,') && !n.includes('#'))).toBe(true);
    metered.reset();
    for await (const _ of fetchPlan(metered, plan)) void _;
    expect(metered.metrics.requests).toBe(report.ranges!.length);
    expect(metered.metrics.bytesRead).toBe(report.bytes - report.headerReads!.bytes);
  });

  it('uses cached headers without reading, and leaves out chunks with no selected group', async () => {
    const cache = new Map();
    await planGroupedReads(store, entries, { streams, selectGroups: select, headerCache: cache });
    const metered = withMetrics(store);
    const { plan, headerReads } = await planGroupedReads(metered, entries, {
      streams, headerCache: cache, selectGroups: (e, h) => (e.key === 'c.bin' ? [] : select(e, h)),
    });
    expect(headerReads).toEqual([]);
    expect(metered.metrics.requests).toBe(0);
    expect(plan.chunks.map((c) => c.entry.key)).toEqual(['a.bin', 'b.bin']);
    expect(explainPlan(plan, [], headerReads).headerReads).toBeUndefined();
  });

  it('is planReads when no chunk has groups', async () => {
    const metered = withMetrics(store);
    const { plan, headerReads } = await planGroupedReads(metered, [entries[0]!], { streams, selectGroups: () => [0] });
    expect(plan).toEqual(planReads([entries[0]!], { streams }));
    expect(headerReads).toEqual([]);
    expect(metered.metrics.requests).toBe(0);
  });
});
