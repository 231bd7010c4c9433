import { describe, expect, it } from 'vitest';
import { batchFromRows } from './builders.js';
import { computeStats, MAX_STRING_STAT } from './stats.js';
import { defineSchema, t } from './types.js';

describe('computeStats', () => {
  const schema = defineSchema({
    pos: t.int32(), big: t.int64(), f: t.float64(), ok: t.bool(), name: t.string(), e: t.enum(['z', 'a', 'm']),
    o: t.optional(t.uint8()), none: t.optional(t.string()), raw: t.bytes(), l: t.list(t.int32()),
    mate: t.optional(t.struct({ pos: t.int32(), tag: t.optional(t.string()) })), long: t.string(),
  });
  const rows = [
    { pos: 5, big: -10n, f: NaN, ok: true, name: 'b', e: 'm', o: 3, none: null, raw: new Uint8Array(1), l: [100], mate: { pos: 9, tag: 'x' }, long: 'a'.repeat(MAX_STRING_STAT + 1) },
    { pos: -2, big: 2n ** 62n, f: 1.5, ok: true, name: 'é', e: 'z', o: null, none: null, raw: new Uint8Array(0), l: [], mate: null, long: 'b' },
    { pos: 7, big: 0n, f: -3, ok: true, name: 'abc', e: 'm', o: 1, none: null, raw: new Uint8Array(2), l: [-100], mate: { pos: 1, tag: null }, long: 'c'.repeat(MAX_STRING_STAT + 1) },
  ];
  const stats = computeStats(schema, batchFromRows(schema, rows));

  it('gives min, max, nulls and count per scalar field', () => {
    expect(stats.pos).toEqual({ count: 3, nulls: 0, min: -2, max: 7 });
    expect(stats.big).toEqual({ count: 3, nulls: 0, min: '-10', max: String(2n ** 62n) });
    expect(stats.f).toEqual({ count: 3, nulls: 0, min: -3, max: 1.5 });
    expect(stats.ok).toEqual({ count: 3, nulls: 0, min: true, max: true });
    expect(stats.name).toEqual({ count: 3, nulls: 0, min: 'abc', max: 'é' });
    expect(stats.e).toEqual({ count: 3, nulls: 0, min: 'm', max: 'z' });
    expect(stats.o).toEqual({ count: 3, nulls: 1, min: 1, max: 3 });
    expect(stats.none).toEqual({ count: 3, nulls: 3 });
    expect(stats.raw).toEqual({ count: 3, nulls: 0 });
  });

  it('names struct children with dots, counts nulls through optional parents, skips lists', () => {
    expect(stats['mate.pos']).toEqual({ count: 3, nulls: 1, min: 1, max: 9 });
    expect(stats['mate.tag']).toEqual({ count: 3, nulls: 2, min: 'x', max: 'x' });
    expect(stats.l).toBeUndefined();
  });

  it('leaves bounds unknown rather than wrong', () => {
    expect(stats.long).toEqual({ count: 3, nulls: 0 });
    const s2 = defineSchema({ f: t.float32() });
    expect(computeStats(s2, batchFromRows(s2, [{ f: Infinity }, { f: 1 }])).f).toEqual({ count: 2, nulls: 0 });
    expect(computeStats(s2, batchFromRows(s2, [])).f).toEqual({ count: 0, nulls: 0 });
  });
});
