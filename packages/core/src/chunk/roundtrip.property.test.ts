/**
 * Property tests: random schemas (nested lists of structs, optionals, enums, 64-bit ints,
 * random codec pipelines) with random rows survive batch -> chunk -> batch, whole and projected.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHost } from '../host-default.js';
import type { CodecRegistry } from '../codec/pipeline.js';
import { batchFromRows } from '../schema/builders.js';
import { batchToRows } from '../schema/rows.js';
import { streamNamesFor } from '../schema/streams.js';
import { defineSchema, t, type FieldType, type NumericKind } from '../schema/types.js';
import { decodeChunk, decodeChunkStreams } from './decode.js';
import { encodeChunk } from './encode.js';
import { readChunkHeader } from './header.js';

const INT_PIPES = ['none', 'zstd:1', 'delta|zigzag|varint|zstd:1', 'transpose|deflate:1', 'varint|zstd:1'];
const FLOAT_PIPES = ['none', 'zstd:1', 'transpose|zstd:1'];
const BYTE_PIPES = ['none', 'zstd:1', 'gzip:1'];

const INTS: [NumericKind, number, number][] = [
  ['int8', -128, 127], ['uint8', 0, 255], ['int16', -32768, 32767], ['uint16', 0, 65535],
  ['int32', -(2 ** 31), 2 ** 31 - 1], ['uint32', 0, 2 ** 32 - 1],
];

/** A field type paired with an arbitrary of its row values. */
interface Typed {
  type: FieldType;
  value: fc.Arbitrary<unknown>;
}

const pipe = (choices: string[]) => fc.constantFrom(...choices);
const signedPipes = INT_PIPES.filter((p) => !p.startsWith('varint'));

const leaf: fc.Arbitrary<Typed> = fc.oneof(
  ...INTS.map(([kind, min, max]) =>
    pipe(kind.startsWith('u') ? INT_PIPES : signedPipes).map((p): Typed => ({ type: t[kind]().codec(p), value: fc.integer({ min, max }) }))),
  pipe(signedPipes).map((p): Typed => ({ type: t.int64().codec(p), value: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }) })),
  pipe(INT_PIPES).map((p): Typed => ({ type: t.uint64().codec(p), value: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) })),
  pipe(FLOAT_PIPES).map((p): Typed => ({ type: t.float32().codec(p), value: fc.float() })),
  pipe(FLOAT_PIPES).map((p): Typed => ({ type: t.float64().codec(p), value: fc.double() })),
  pipe(BYTE_PIPES).map((p): Typed => ({ type: t.bool().codec(p), value: fc.boolean() })),
  fc.tuple(pipe(BYTE_PIPES), pipe(INT_PIPES)).map(([p, l]): Typed => ({ type: t.string().codec(p).lengthCodec(l), value: fc.string({ unit: 'grapheme', maxLength: 12 }) })),
  pipe(BYTE_PIPES).map((p): Typed => ({ type: t.bytes().codec(p), value: fc.uint8Array({ maxLength: 12 }) })),
  fc.uniqueArray(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 300 }).map((values): Typed => ({
    type: t.enum(values), value: fc.constantFrom(...values),
  })),
);

const fieldName = fc.stringMatching(/^[a-z][a-z0-9_]{0,4}$/);

function typed(depth: number): fc.Arbitrary<Typed> {
  if (depth === 0) return leaf;
  const sub = typed(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 3 },
    sub.filter((s) => s.type.kind !== 'optional').map((s): Typed => ({ type: t.optional(s.type), value: fc.option(s.value, { nil: null }) })),
    sub.map((s): Typed => ({ type: t.list(s.type), value: fc.array(s.value, { maxLength: 4 }) })),
    fc.uniqueArray(fc.tuple(fieldName, sub), { minLength: 1, maxLength: 3, selector: ([n]) => n }).map((fs): Typed => ({
      type: t.struct(Object.fromEntries(fs.map(([n, s]) => [n, s.type]))),
      value: fc.record(Object.fromEntries(fs.map(([n, s]) => [n, s.value]))),
    })),
  );
}

const caseArb = fc
  .uniqueArray(fc.tuple(fieldName, typed(3)), { minLength: 1, maxLength: 5, selector: ([n]) => n })
  .chain((fs) => {
    const schema = defineSchema(Object.fromEntries(fs.map(([n, s]) => [n, s.type])));
    const row = fc.record(Object.fromEntries(fs.map(([n, s]) => [n, s.value])));
    return fc.tuple(fc.constant(schema), fc.array(row, { maxLength: 40 }), fc.subarray(fs.map(([n]) => n)));
  });

let host: CodecRegistry;
beforeAll(async () => {
  host = await createHost();
});

describe('chunk round trip (property)', () => {
  it('decodes what it encoded, whole and projected', () => {
    fc.assert(
      fc.property(caseArb, ([schema, rows, fields]) => {
        const chunk = encodeChunk({ schema, batch: batchFromRows(schema, rows), registry: host });
        const { batch } = decodeChunk(chunk.bytes, host, { name: 'prop' });
        expect(batchToRows(batch)).toEqual(rows);

        // Projection from exactly the streams streamNamesFor lists.
        const header = readChunkHeader(chunk.bytes, 'prop');
        const names = streamNamesFor(schema, fields);
        const fetched = new Map(names.map((n) => {
          const [off, len] = chunk.layout.streams[n]!;
          return [n, chunk.bytes.subarray(off, off + len)] as const;
        }));
        const part = decodeChunkStreams(header, fetched, host, { name: 'prop', fields });
        expect(batchToRows(part)).toEqual(rows.map((r) => Object.fromEntries(fields.map((f) => [f, r[f]]))));
        // ... and every listed stream is needed: without any one of them the decode fails.
        for (const n of names) {
          const less = new Map(fetched);
          less.delete(n);
          expect(() => decodeChunkStreams(header, less, host, { name: 'prop', fields })).toThrow(n);
        }
      }),
      { numRuns: 150 },
    );
  });
});
