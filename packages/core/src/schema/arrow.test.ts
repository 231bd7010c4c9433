import { describe, expect, it } from 'vitest';
import { batchFromRows } from './builders.js';
import { toArrow, toArrowTable } from './arrow.js';
import { defineSchema, t } from './types.js';

const schema = defineSchema({
  i8: t.int8(), u16: t.uint16(), i32: t.int32(), u32: t.uint32(), i64: t.int64(), u64: t.uint64(),
  f32: t.float32(), f64: t.float64(), ok: t.bool(), s: t.string(), b: t.bytes(), e: t.enum(['A', 'C', 'G', 'T']),
  os: t.optional(t.string()), oi: t.optional(t.int32()),
  l: t.list(t.uint32()), ls: t.list(t.struct({ k: t.string(), v: t.optional(t.int64()) })),
  st: t.optional(t.struct({ x: t.float64(), tags: t.list(t.string()) })),
}, { name: 'demo' });

const rows = [
  { i8: -3, u16: 65535, i32: -7, u32: 4000000000, i64: -(2n ** 60n), u64: 2n ** 63n, f32: 1.5, f64: Math.PI, ok: true, s: 'héllo', b: new Uint8Array([1, 2]), e: 'G', os: 'x', oi: null, l: [1, 2, 3], ls: [{ k: 'a', v: 5n }, { k: 'b', v: null }], st: { x: 2.5, tags: ['p', 'q'] } },
  { i8: 127, u16: 0, i32: 2147483647, u32: 0, i64: 0n, u64: 0n, f32: -0.25, f64: -1e300, ok: false, s: '', b: new Uint8Array([]), e: 'A', os: null, oi: 42, l: [], ls: [], st: null },
];

describe('toArrow', () => {
  it('builds an Arrow RecordBatch whose values read back', () => {
    const rb = toArrow(batchFromRows(schema, rows));
    expect(rb.numRows).toBe(2);
    expect(rb.schema.fields.map((f) => f.name)).toEqual(Object.keys(schema.fields));
    expect(rb.schema.metadata.get('genolake.schema')).toBe('demo');
    expect([...rb.getChild('i8')!.toArray()]).toEqual([-3, 127]);
    expect([...rb.getChild('u32')!.toArray()]).toEqual([4000000000, 0]);
    expect([...rb.getChild('i64')!.toArray()]).toEqual([-(2n ** 60n), 0n]);
    expect([...rb.getChild('u64')!.toArray()]).toEqual([2n ** 63n, 0n]);
    expect(rb.getChild('f64')!.get(0)).toBe(Math.PI);
    expect(rb.getChild('f32')!.get(1)).toBe(-0.25);
    expect([...rb.getChild('ok')!]).toEqual([true, false]);
    expect([...rb.getChild('s')!]).toEqual(['héllo', '']);
    expect([...rb.getChild('b')!.get(0)]).toEqual([1, 2]);
    expect([...rb.getChild('e')!]).toEqual(['G', 'A']);
    expect([...rb.getChild('os')!]).toEqual(['x', null]);
    expect([...rb.getChild('oi')!]).toEqual([null, 42]);
    expect(rb.getChild('oi')!.nullCount).toBe(1);
    expect([...rb.getChild('l')!.get(0)!]).toEqual([1, 2, 3]);
    expect(rb.getChild('l')!.get(1)!.length).toBe(0);
    const ls = rb.getChild('ls')!.get(0)!;
    expect(ls.get(0)!.toJSON()).toEqual({ k: 'a', v: 5n });
    expect(ls.get(1)!.toJSON()).toEqual({ k: 'b', v: null });
    const st = rb.getChild('st')!;
    expect(st.get(1)).toBeNull();
    expect(st.get(0)!.x).toBe(2.5);
    expect([...st.get(0)!.tags]).toEqual(['p', 'q']);
  });

  it('shares the batch buffers instead of copying', () => {
    const batch = batchFromRows(schema, rows);
    const rb = toArrow(batch);
    const col = batch.columns.i32!;
    expect(col.kind === 'int32' && rb.getChild('i32')!.data[0]!.values.buffer === col.values.buffer).toBe(true);
  });

  it('makes a table and handles an empty batch', () => {
    const table = toArrowTable(batchFromRows(schema, []));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.length).toBe(Object.keys(schema.fields).length);
  });
});
