import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../errors.js';
import { batchFromRows } from './builders.js';
import { batchToRows } from './rows.js';
import { concatBatches, sliceBatch } from './slice.js';
import { defineSchema, t } from './types.js';

const schema = defineSchema({
  i: t.int32(), b: t.bool(), s: t.string(), e: t.enum(['x', 'y']),
  o: t.optional(t.struct({ l: t.list(t.optional(t.string())), f: t.float64() })),
  big: t.uint64(),
});

const row = fc.record({
  i: fc.integer({ min: -1000, max: 1000 }), b: fc.boolean(), s: fc.string({ maxLength: 5 }), e: fc.constantFrom('x', 'y'),
  o: fc.option(fc.record({ l: fc.array(fc.option(fc.string({ maxLength: 3 }), { nil: null }), { maxLength: 3 }), f: fc.double({ noNaN: true }) }), { nil: null }),
  big: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
});

describe('sliceBatch / concatBatches', () => {
  it('slices any range and concatenates pieces back (property)', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.nat(), fc.nat(), (rows, a, b) => {
        const batch = batchFromRows(schema, rows);
        const start = rows.length ? a % (rows.length + 1) : 0;
        const end = start + (rows.length - start ? b % (rows.length - start + 1) : 0);
        expect(batchToRows(sliceBatch(batch, start, end))).toEqual(rows.slice(start, end));
        const pieces = [sliceBatch(batch, 0, start), sliceBatch(batch, start, end), sliceBatch(batch, end)];
        expect(batchToRows(concatBatches(pieces))).toEqual(rows);
        const joined = concatBatches([batch, sliceBatch(batch, start, end)]);
        expect(batchToRows(joined)).toEqual([...rows, ...rows.slice(start, end)]);
        const o = joined.columns.o!;
        expect(o.kind === 'optional' ? o.nullCount : -1).toBe([...rows, ...rows.slice(start, end)].filter((r) => r.o === null).length);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects bad ranges and mismatched batches', () => {
    const batch = batchFromRows(schema, []);
    expect(() => sliceBatch(batch, 0, 1)).toThrow(InvalidArgumentError);
    expect(() => concatBatches([])).toThrow(InvalidArgumentError);
    const other = batchFromRows(defineSchema({ i: t.int32() }), []);
    expect(() => concatBatches([batch, other])).toThrow(InvalidArgumentError);
  });
});
