import { beforeAll, describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import { CorruptDataError, InvalidArgumentError, UnsupportedError } from '../errors.js';
import { crc32c } from '../util/crc32c.js';
import type { CodecRegistry } from '../codec/pipeline.js';
import { batchFromRows } from '../schema/builders.js';
import { batchToRows } from '../schema/rows.js';
import { streamNamesFor } from '../schema/streams.js';
import { defineSchema, t } from '../schema/types.js';
import { decodeChunk, decodeChunkStreams, verifyChunk } from './decode.js';
import { encodeChunk } from './encode.js';
import { readChunkHeader } from './header.js';
import { CHUNK_MAGIC, CHUNK_PREFIX_LENGTH, readChunkPrefix } from './prefix.js';

const schema = defineSchema({
  name: t.string(),
  pos: t.int32().codec('delta|zigzag|varint|zstd:3'),
  mapq: t.uint8(),
  seq: t.string().codec('nuc2bit|zstd:3'),
  tags: t.list(t.struct({ key: t.enum(['NM', 'AS', 'RG']), value: t.optional(t.int64()) })),
}, { name: 'aln' });

const rows = Array.from({ length: 500 }, (_, i) => ({
  name: `read${i}`,
  pos: 1000 + i * 3,
  mapq: i % 61,
  seq: 'ACGTN'.repeat(i % 7),
  tags: i % 3 === 0 ? [] : [{ key: 'NM', value: BigInt(i) }, { key: 'RG', value: null }],
}));

let host: CodecRegistry;
let chunk: ReturnType<typeof encodeChunk>;
beforeAll(async () => {
  host = await createHost();
  chunk = encodeChunk({
    schema, batch: batchFromRows(schema, rows), registry: host,
    keyRange: { min: [0, 1000n], max: [0, 2497] }, meta: { sample: 'NA12878' },
  });
});

function flipped(bytes: Uint8Array, at: number): Uint8Array {
  const copy = bytes.slice();
  copy[at]! ^= 0x10;
  return copy;
}

describe('chunk container v1', () => {
  it('round-trips records, key range, meta and stats', () => {
    const { header, batch } = decodeChunk(chunk.bytes, host, { name: 'c1' });
    expect(batchToRows(batch)).toEqual(rows);
    expect(header.records).toBe(500);
    expect(header.keyRange).toEqual({ min: [0, '1000'], max: [0, 2497] });
    expect(header.meta).toEqual({ sample: 'NA12878' });
    expect(header.stats).toEqual(chunk.stats);
    expect(chunk.stats.pos).toEqual({ count: 500, nulls: 0, min: 1000, max: 2497 });
    expect(header.objectLength).toBe(chunk.bytes.length);
    expect(chunk.records).toBe(500);
  });

  it('lays out the prefix and a layout that matches the header', () => {
    expect(chunk.bytes.subarray(0, 8)).toEqual(CHUNK_MAGIC);
    const prefix = readChunkPrefix(chunk.bytes.subarray(0, CHUNK_PREFIX_LENGTH), 'c1');
    expect(prefix).toEqual({ version: 1, flags: 0, headerLength: chunk.layout.headerLength });
    const header = readChunkHeader(chunk.bytes.subarray(0, prefix.headerLength), 'c1');
    expect(Object.keys(chunk.layout.streams)).toEqual(streamNamesFor(schema));
    for (const s of header.streams) {
      expect(chunk.layout.streams[s.name]).toEqual([s.offset, s.length]);
      expect(crc32c(chunk.bytes.subarray(s.offset, s.offset + s.length))).toBe(s.crc32c);
    }
    expect(header.streams[0]!.offset).toBe(header.headerLength);
  });

  it('decodes a projection from only the fetched stream ranges', () => {
    const header = readChunkHeader(chunk.bytes.subarray(0, chunk.layout.headerLength), 'c1');
    for (const fields of [['pos'], ['tags.value', 'mapq'], ['seq']]) {
      const names = streamNamesFor(header.schema, fields);
      const fetched = new Map(names.map((n) => {
        const [off, len] = chunk.layout.streams[n]!;
        return [n, chunk.bytes.slice(off, off + len)] as const;
      }));
      const batch = decodeChunkStreams(header, fetched, host, { name: 'c1', fields });
      const top = [...new Set(fields.map((f) => f.split('.')[0]!))];
      expect(Object.keys(batch.columns).sort()).toEqual(top.sort());
      if (fields[0] === 'pos') expect(batchToRows(batch)).toEqual(rows.map((r) => ({ pos: r.pos })));
      const missing = new Map(fetched);
      missing.delete(names[0]!);
      expect(() => decodeChunkStreams(header, missing, host, { name: 'c1', fields })).toThrow(InvalidArgumentError);
    }
    expect(streamNamesFor(schema, ['tags.value'])).toEqual(['tags.@len', 'tags.value.@present', 'tags.value']);
  });

  it('detects a flipped byte in the header, naming the object', () => {
    for (const at of [20, chunk.layout.headerLength - 10, chunk.layout.headerLength - 1]) {
      const bad = flipped(chunk.bytes, at);
      expect(() => readChunkHeader(bad, 'key/c1.chunk')).toThrow(CorruptDataError);
      expect(() => decodeChunk(bad, host, { name: 'key/c1.chunk' })).toThrow(/key\/c1\.chunk: header CRC mismatch/);
      expect(() => verifyChunk(bad, host, 'key/c1.chunk')).toThrow(CorruptDataError);
    }
    expect(() => readChunkPrefix(flipped(chunk.bytes, 3), 'k')).toThrow(/k is not a genolake chunk/);
  });

  it('detects a flipped byte in each stream, naming object and stream', () => {
    for (const [name, [off, len]] of Object.entries(chunk.layout.streams)) {
      if (len === 0) continue;
      const bad = flipped(chunk.bytes, off + (len >> 1));
      const re = new RegExp(`stream "${name.replace(/[.@]/g, '\\$&')}" CRC mismatch in c9`);
      expect(() => verifyChunk(bad, host, 'c9')).toThrow(re);
      expect(() => decodeChunk(bad, host, { name: 'c9' })).toThrow(re);
      // A projection that does not use the stream never reads it.
      const other = Object.keys(schema.fields).find((f) => !streamNamesFor(schema, [f]).includes(name))!;
      expect(() => decodeChunk(bad, host, { name: 'c9', fields: [other] })).not.toThrow();
    }
  });

  it('rejects truncated chunks and trailing garbage', () => {
    for (const n of [0, 7, CHUNK_PREFIX_LENGTH, chunk.layout.headerLength - 1, chunk.layout.headerLength + 3, chunk.bytes.length - 1]) {
      const cut = chunk.bytes.subarray(0, n);
      expect(() => decodeChunk(cut, host, { name: 'cut' })).toThrow(CorruptDataError);
      expect(() => verifyChunk(cut, host, 'cut')).toThrow(/cut/);
    }
    const longer = new Uint8Array(chunk.bytes.length + 1);
    longer.set(chunk.bytes);
    expect(() => verifyChunk(longer, host, 'long')).toThrow(CorruptDataError);
    expect(() => verifyChunk(chunk.bytes, host, 'ok')).not.toThrow();
  });

  it('refuses a newer format version or unknown flags with UnsupportedError', () => {
    const v2 = chunk.bytes.slice();
    new DataView(v2.buffer).setUint16(8, 2, true);
    expect(() => readChunkPrefix(v2, 'v2.chunk')).toThrow(UnsupportedError);
    expect(() => decodeChunk(v2, host, { name: 'v2.chunk' })).toThrow(/v2\.chunk uses chunk format version 2/);
    const flags = chunk.bytes.slice();
    new DataView(flags.buffer).setUint16(10, 4, true);
    expect(() => readChunkPrefix(flags, 'f')).toThrow(UnsupportedError);
    const v0 = chunk.bytes.slice();
    new DataView(v0.buffer).setUint16(8, 0, true);
    expect(() => readChunkPrefix(v0, 'v0')).toThrow(CorruptDataError);
  });

  it('rejects a header whose CRC is right but whose stream table lies', () => {
    const h = chunk.layout.headerLength;
    const json = new TextDecoder().decode(chunk.bytes.subarray(CHUNK_PREFIX_LENGTH, h - 4));
    const forged = json.replace('"pipeline":"delta|zigzag|varint|zstd:3"', '"pipeline":"delta|zigzag|varint|zstd:4"');
    expect(forged).not.toBe(json);
    const bytes = chunk.bytes.slice();
    bytes.set(new TextEncoder().encode(forged), CHUNK_PREFIX_LENGTH);
    new DataView(bytes.buffer).setUint32(h - 4, crc32c(bytes.subarray(0, h - 4)), true);
    expect(() => readChunkHeader(bytes, 'forged')).toThrow(/forged: bad chunk header: stream "pos"/);
  });

  it('encodes an empty batch', () => {
    const empty = encodeChunk({ schema, batch: batchFromRows(schema, []), registry: host });
    const { header, batch } = decodeChunk(empty.bytes, host, { name: 'empty' });
    expect(header.records).toBe(0);
    expect(batch.length).toBe(0);
    expect(header.keyRange).toBeUndefined();
    verifyChunk(empty.bytes, host, 'empty');
  });
});
