import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import { compareKeys, compareStrings } from './key-order.js';
import { SortedKeyIndex, type KeyRangeHit, type SortedKeyEntry } from './sorted-key.js';
import type { IndexKey } from './types.js';

/** Lays sorted keys out over chunks of `perChunk` records, as a writer in key order would. */
function layout(keys: IndexKey[], perChunk: number): SortedKeyEntry[] {
  return keys.map((key, i) => ({ key, chunk: `c${Math.floor(i / perChunk)}`, ordinal: i % perChunk }));
}

function covered(hits: KeyRangeHit[]): Set<string> {
  const s = new Set<string>();
  for (const h of hits) for (let o = h.fromOrdinal; o < h.toOrdinal; o++) s.add(`${h.chunk}#${o}`);
  return s;
}

function expectCovers(hits: KeyRangeHit[], entries: SortedKeyEntry[], match: (k: IndexKey) => boolean, sampleEvery: number): void {
  const got = covered(hits);
  const want = entries.filter((e) => match(e.key));
  for (const e of want) expect(got.has(`${e.chunk}#${e.ordinal}`)).toBe(true);
  // Over-approximation is bounded: at most sampleEvery - 1 extra records at each end.
  expect(got.size).toBeLessThanOrEqual(want.length + 2 * (sampleEvery - 1));
}

describe('SortedKeyIndex', () => {
  it('never misses a record in a range (property, against a brute-force scan)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 300 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 17 }),
        fc.integer({ min: -60, max: 60 }),
        fc.integer({ min: -60, max: 60 }),
        (raw, perChunk, sampleEvery, lo, hi) => {
          const entries = layout(raw.sort((a, b) => a - b), perChunk);
          const idx = SortedKeyIndex.load(SortedKeyIndex.build(entries, { sampleEvery }).serialize(), 'prop');
          const hits = idx.lookupRange(lo, hi);
          expectCovers(hits, entries, (k) => (k as number) >= lo && (k as number) <= hi, sampleEvery);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never misses string keys in a range or under a prefix (property, unicode)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'ab', 'é', '\u{1F600}', '\uFFFD'), maxLength: 4 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 9 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\u{1F600}'), maxLength: 3 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'é', '\u{1F600}'), maxLength: 3 }),
        (raw, sampleEvery, p, q) => {
          const entries = layout(raw.sort(compareStrings), 7);
          const idx = SortedKeyIndex.load(SortedKeyIndex.build(entries, { sampleEvery }).serialize(), 'prop');
          expectCovers(idx.lookupPrefix(p), entries, (k) => (k as string).startsWith(p), sampleEvery);
          expectCovers(idx.lookupRange(p, q), entries, (k) => compareStrings(k as string, p) >= 0 && compareStrings(k as string, q) <= 0, sampleEvery);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('finds point keys over unsorted ordinals (a secondary index) and bigint keys', async () => {
    const keys = Array.from({ length: 1000 }, (_, i) => BigInt(i) * 3n);
    // Records stored in another order: the index maps each key to its own place.
    const entries = keys.map((key, i) => ({ key, chunk: `c${i % 5}`, ordinal: (i * 7919) % 1000 }));
    const idx = SortedKeyIndex.build(entries, { sampleEvery: 16 });
    const sel = await idx.lookup({ keys: [30n, 31, 2997n] });
    const got = new Set<string>();
    for (const s of sel) for (let o = s.fromOrdinal!; o < s.toOrdinal!; o++) got.add(`${s.chunk}#${o}`);
    for (const k of [10, 999]) expect(got.has(`c${k % 5}#${(k * 7919) % 1000}`)).toBe(true);
    expect(got.size).toBeLessThanOrEqual(3 * 31);
    expect(idx.lookupRange(-5, -1)).toEqual([]);
    expect(idx.lookupRange(3000n)).toEqual([]);
  });

  it('is compact for data written in key order: one run per chunk, one sample per sampleEvery keys', () => {
    const n = 100_000;
    const entries = layout(Array.from({ length: n }, (_, i) => i), 10_000);
    const t0 = performance.now();
    const idx = SortedKeyIndex.build(entries);
    const bytes = idx.serialize();
    const built = performance.now() - t0;
    // 10 chunk names + 10 runs + 99 samples: well under 2 KiB for 100k records.
    expect(bytes.byteLength).toBeLessThan(2048);
    expect(idx.lookupRange(54_321, 54_400)).toEqual([{ chunk: 'c5', fromOrdinal: 4273, toOrdinal: 5296 }]);
    const t1 = performance.now();
    for (let i = 0; i < 10_000; i++) idx.lookupRange(i * 10, i * 10 + 5);
    const perLookupUs = ((performance.now() - t1) / 10_000) * 1000;
    expect(perLookupUs).toBeLessThan(200);
    console.log(`sorted-key: 100k records -> ${bytes.byteLength} bytes, build+serialize ${built.toFixed(1)} ms, lookup ${perLookupUs.toFixed(2)} µs`);
  });

  it('rejects unsorted or mixed input and bad queries', () => {
    expect(() => SortedKeyIndex.build(layout([1, 3, 2], 10))).toThrow(InvalidArgumentError);
    expect(() => SortedKeyIndex.build([{ key: 1, chunk: 'a', ordinal: 0 }, { key: 'x', chunk: 'a', ordinal: 1 }])).toThrow(InvalidArgumentError);
    expect(() => SortedKeyIndex.build([{ key: Number.NaN, chunk: 'a', ordinal: 0 }])).toThrow(InvalidArgumentError);
    expect(() => SortedKeyIndex.build([], { sampleEvery: 0 })).toThrow(InvalidArgumentError);
    const idx = SortedKeyIndex.build(layout(['a', 'b'], 10));
    expect(() => idx.lookupRange(1, 2)).toThrow(InvalidArgumentError);
    expect(() => SortedKeyIndex.build(layout([1], 1)).lookupPrefix('a')).toThrow(InvalidArgumentError);
    expect(SortedKeyIndex.build([]).lookupRange()).toEqual([]);
    expect(compareKeys('\u{1F600}', '\uFFFD')).toBeGreaterThan(0);
  });

  it('detects corruption: every flipped byte and every truncation', () => {
    const bytes = SortedKeyIndex.build(layout(['ab', 'ac', 'b', 'c', 'd'], 2), { sampleEvery: 2 }).serialize();
    for (let i = 0; i < bytes.byteLength; i++) {
      const bad = bytes.slice();
      bad[i]! ^= 0x10;
      expect(() => SortedKeyIndex.load(bad, '_index/names.idx')).toThrow(CorruptDataError);
    }
    for (let n = 0; n < bytes.byteLength; n++) {
      expect(() => SortedKeyIndex.load(bytes.subarray(0, n), '_index/names.idx')).toThrow(CorruptDataError);
    }
    const err = (() => {
      try {
        SortedKeyIndex.load(bytes.subarray(1), '_index/names.idx');
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err?.message).toContain('_index/names.idx');
  });
});
