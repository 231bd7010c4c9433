import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { schemaFromJSON, schemaToJSON } from './json.js';
import { streamSpecs } from './streams.js';
import { defineSchema, t } from './types.js';

describe('schema JSON', () => {
  const schema = defineSchema({
    pos: t.int32().codec('delta|zigzag|varint|zstd:5'),
    seq: t.string().codec('nuc2bit|zstd:3').lengthCodec('varint|zstd:1'),
    e: t.enum(['a', 'b']).codec('none'),
    o: t.optional(t.list(t.struct({ x: t.uint64(), y: t.bool() }))).codec('gzip:6'),
  }, { name: 'rec' });

  it('round-trips types, order and every pipeline', () => {
    const json = JSON.parse(JSON.stringify(schemaToJSON(schema)));
    const back = schemaFromJSON(json);
    expect(back.name).toBe('rec');
    expect(Object.keys(back.fields)).toEqual(['pos', 'seq', 'e', 'o']);
    expect(streamSpecs(back)).toEqual(streamSpecs(schema));
    expect(schemaToJSON(back)).toEqual(json);
  });

  it('rejects malformed JSON naming the path', () => {
    const bad = (j: unknown) => () => schemaFromJSON(j);
    expect(bad(null)).toThrow(InvalidArgumentError);
    expect(bad({ fields: [{ name: 'a', type: { kind: 'int33', codec: 'none' } }] })).toThrow(/a: unknown kind/);
    expect(bad({ fields: [{ name: 'a', type: { kind: 'struct', fields: [{ name: 'b', type: { kind: 'int8' } }] } }] })).toThrow(/a\.b/);
    expect(bad({ fields: [{ name: 'a.b', type: { kind: 'int8', codec: 'none' } }] })).toThrow(/bad field name/);
    expect(bad({ fields: [{ name: 'a', type: { kind: 'int8', codec: 'zstd:|' } }] })).toThrow(InvalidArgumentError);
    expect(bad({ fields: [{ name: 'a', type: { kind: 'int8', codec: 'none' } }, { name: 'a', type: { kind: 'int8', codec: 'none' } }] })).toThrow(/twice/);
  });
});

describe('field type builders', () => {
  it('are immutable; codec() returns a copy', () => {
    const a = t.int32();
    const b = a.codec('delta|zstd:3');
    expect(a.pipeline).not.toBe('delta|zstd:3');
    expect(b.pipeline).toBe('delta|zstd:3');
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => { (a as { pipeline: string }).pipeline = 'x'; }).toThrow();
  });

  it('reject what has no meaning', () => {
    expect(() => t.optional(t.optional(t.int8()))).toThrow(InvalidArgumentError);
    expect(() => t.enum([])).toThrow(InvalidArgumentError);
    expect(() => t.enum(['a', 'a'])).toThrow(/twice/);
    expect(() => t.struct({})).toThrow(InvalidArgumentError);
    expect(() => t.struct({ a: t.int8() }).codec('zstd')).toThrow(InvalidArgumentError);
    expect(() => defineSchema({ '@x': t.int8() })).toThrow(/bad field name/);
    expect(() => t.int8().codec('Bad Codec')).toThrow(InvalidArgumentError);
  });
});
