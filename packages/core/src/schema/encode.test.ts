import { describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import { CorruptDataError, InvalidArgumentError } from '../errors.js';
import { batchFromRows } from './builders.js';
import { batchToRows } from './rows.js';
import { decodeBatch } from './decode.js';
import { encodeBatch } from './encode.js';
import { streamNamesFor, streamSpecs } from './streams.js';
import { defineSchema, t } from './types.js';

const schema = defineSchema({
  name: t.string(),
  pos: t.int32().codec('delta|zigzag|varint|zstd:3'),
  big: t.int64(),
  ok: t.bool(),
  strand: t.enum(['+', '-', '.']),
  tag: t.optional(t.string()),
  cigar: t.list(t.uint32()),
  hits: t.list(t.struct({ chrom: t.string(), score: t.optional(t.float64()) })),
  mate: t.optional(t.struct({ pos: t.int32(), names: t.list(t.string()) })),
});

const rows = [
  { name: 'r1', pos: 10, big: -5n, ok: true, strand: '+', tag: 'x', cigar: [1, 2], hits: [{ chrom: 'chr1', score: 1.5 }], mate: { pos: 7, names: ['a', 'bb'] } },
  { name: 'r2é', pos: 12, big: 1n << 62n, ok: false, strand: '.', tag: null, cigar: [], hits: [], mate: null },
  { name: '', pos: 12, big: 0n, ok: true, strand: '-', tag: '', cigar: [4294967295], hits: [{ chrom: 'c', score: null }, { chrom: 'd', score: -0.25 }], mate: { pos: -1, names: [] } },
];

async function streamsOf(s = schema, r: Record<string, unknown>[] = rows) {
  const host = await createHost();
  const enc = encodeBatch(s, batchFromRows(s, r), host);
  return { host, enc, map: new Map(enc.map((e) => [e.name, e.bytes])) };
}

describe('encodeBatch / decodeBatch', () => {
  it('round-trips nested, optional, enum and 64-bit fields', async () => {
    const { host, map } = await streamsOf();
    const back = decodeBatch(schema, map, host, { records: rows.length });
    expect(batchToRows(back)).toEqual(rows);
  });

  it('emits streams in streamSpecs order with the documented names', async () => {
    const { enc } = await streamsOf();
    expect(enc.map((e) => e.name)).toEqual(streamSpecs(schema).map((s) => s.name));
    expect(enc.map((e) => e.name)).toEqual([
      'name.@len', 'name', 'pos', 'big', 'ok', 'strand', 'tag.@present', 'tag.@len', 'tag',
      'cigar.@len', 'cigar', 'hits.@len', 'hits.chrom.@len', 'hits.chrom', 'hits.score.@present', 'hits.score',
      'mate.@present', 'mate.pos', 'mate.names.@len', 'mate.names.@item.@len', 'mate.names.@item',
    ]);
  });

  it('decodes a projection from only the streams streamNamesFor lists', async () => {
    const { host, map } = await streamsOf();
    for (const fields of [['pos'], ['hits.score'], ['mate.names', 'strand'], ['tag'], []]) {
      const names = streamNamesFor(schema, fields);
      const only = new Map(names.map((n) => [n, map.get(n)!]));
      const back = decodeBatch(schema, only, host, { records: rows.length, fields });
      const top = [...new Set(fields.map((f) => f.split('.')[0]!))];
      expect(Object.keys(back.columns).sort()).toEqual(top.sort());
      // A needed stream that is absent is named.
      for (const n of names) {
        const less = new Map(only);
        less.delete(n);
        expect(() => decodeBatch(schema, less, host, { records: rows.length, fields })).toThrow(new RegExp(`"${n.replace(/[.@]/g, '\\$&')}"`));
      }
    }
    expect(streamNamesFor(schema, ['hits.score'])).toEqual(['hits.@len', 'hits.score.@present', 'hits.score']);
    const proj = decodeBatch(schema, map, host, { records: 3, fields: ['hits.score'] });
    expect(batchToRows(proj)).toEqual(rows.map((r) => ({ hits: r.hits.map((h) => ({ score: h.score })) })));
  });

  it('rejects bad values naming field and row', () => {
    const bad = (row: Record<string, unknown>) => () => batchFromRows(schema, [rows[0]!, { ...rows[0], ...row }]);
    expect(bad({ pos: 2 ** 31 })).toThrow(InvalidArgumentError);
    expect(bad({ pos: 2 ** 31 })).toThrow(/field "pos" row 1/);
    expect(bad({ strand: '*' })).toThrow(/field "strand" row 1/);
    expect(bad({ big: 1.5 })).toThrow(/field "big" row 1/);
    expect(bad({ cigar: [-1] })).toThrow(/field "cigar\[\]" row 1/);
    expect(bad({ mate: { pos: 1 } })).toThrow(/field "mate.names" row 1/);
    expect(bad({ name: undefined })).toThrow(/field "name" row 1/);
  });

  it('detects a stream that decodes to the wrong size', async () => {
    const { host, map } = await streamsOf();
    const other = await streamsOf(schema, rows.slice(0, 2));
    map.set('pos', other.map.get('pos')!);
    expect(() => decodeBatch(schema, map, host, { records: 3 })).toThrow(CorruptDataError);
    expect(() => decodeBatch(schema, map, host, { records: 3 })).toThrow(/stream "pos"/);
  });
});

describe('encodeBatch determinism', () => {
  it('encodes a slice exactly like a fresh batch of the same rows', async () => {
    const { sliceBatch } = await import('./slice.js');
    const host = await createHost();
    const many = Array.from({ length: 21 }, (_, i) => ({ ...rows[i % 3]!, pos: i }));
    const full = batchFromRows(schema, many);
    for (const [a, b] of [[0, 5], [3, 17], [9, 21]] as const) {
      const sliced = encodeBatch(schema, sliceBatch(full, a, b), host);
      const fresh = encodeBatch(schema, batchFromRows(schema, many.slice(a, b)), host);
      expect(sliced).toEqual(fresh);
    }
  });
});
