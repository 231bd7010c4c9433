import { describe, expect, it } from 'vitest';
import type { ChunkEntry } from '../dataset/types.js';
import { compareScalars } from './key-order.js';
import { ZoneMapIndex, pruneChunks } from './zone-map.js';

const chunk = (key: string, extra: Partial<ChunkEntry>): ChunkEntry => ({ key, partition: 'p', records: 10, size: 1, digest: 'sha256:0', ...extra });

const chunks: ChunkEntry[] = [
  chunk('a', { region: { contig: 'chr1', start: 0, end: 1000 }, stats: { mapq: { min: 0, max: 20 }, name: { min: 'r1', max: 'r5' } } }),
  chunk('b', { region: { contig: 'chr1', start: 1000, end: 2000 }, stats: { mapq: { min: 30, max: 60 }, id: { min: '9007199254740993', max: '9007199254740999' } } }),
  chunk('c', { region: { contig: 'chr2', start: 0, end: 500 } }),
  chunk('d', {}),
  chunk('e', { region: { contig: 'chr1', start: 0, end: 5000 }, records: 0 }),
];
const keys = (p: Parameters<typeof pruneChunks>[1]): string[] => pruneChunks(chunks, p).map((c) => c.key);

describe('zone maps', () => {
  it('prunes by region overlap (0-based half-open) and contig, keeping chunks without a region', () => {
    expect(keys({ regions: [{ contig: 'chr1', start: 999, end: 1000 }] })).toEqual(['a', 'd']);
    expect(keys({ regions: [{ contig: 'chr1', start: 1000, end: 1001 }] })).toEqual(['b', 'd']);
    expect(keys({ regions: [{ contig: 'chr1', start: 1500, end: Infinity }, { contig: 'chr2', start: 10, end: 20 }] })).toEqual(['b', 'c', 'd']);
    expect(keys({ regions: [{ contig: 'chr3', start: 0, end: Infinity }] })).toEqual(['d']);
    expect(keys({})).toEqual(['a', 'b', 'c', 'd']); // an empty chunk never matches
  });

  it('prunes by min/max only when the stats prove no record can match', () => {
    expect(keys({ ranges: [{ field: 'mapq', min: 25 }] })).toEqual(['b', 'c', 'd']);
    expect(keys({ ranges: [{ field: 'mapq', min: 21, max: 29 }] })).toEqual(['c', 'd']);
    expect(keys({ ranges: [{ field: 'mapq', max: 20 }] })).toEqual(['a', 'c', 'd']);
    expect(keys({ equals: [{ field: 'name', value: 'r6' }] })).toEqual(['b', 'c', 'd']);
    expect(keys({ equals: [{ field: 'name', value: 'r3' }], regions: [{ contig: 'chr1', start: 0, end: 10 }] })).toEqual(['a', 'd']);
    // Incomparable types keep the chunk.
    expect(keys({ equals: [{ field: 'name', value: 3 }] })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('compares int64 stats (decimal strings) exactly with numbers', () => {
    expect(keys({ equals: [{ field: 'id', value: 9007199254740992 }] })).toEqual(['a', 'c', 'd']);
    expect(keys({ ranges: [{ field: 'id', min: 9007199254741000 }] })).toEqual(['a', 'c', 'd']);
    expect(compareScalars('5', 5.5)).toBeLessThan(0);
    expect(compareScalars('6', 5.5)).toBeGreaterThan(0);
    expect(compareScalars(5, '5')).toBe(0);
    expect(compareScalars(true, 1)).toBeUndefined();
  });

  it('serves the Index contract', async () => {
    const idx = new ZoneMapIndex(chunks);
    expect(await idx.lookup({ regions: [{ contig: 'chr2', start: 0, end: 1 }] })).toEqual([{ chunk: 'c' }, { chunk: 'd' }]);
  });
});
