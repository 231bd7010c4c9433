import { describe, expect, it } from 'vitest';
import { batchFromRows, builtinCodecRegistry, CorruptDataError, defineSchema, encodeChunk, t } from '@genolake/core';
import { chunkDeepCheck, isChunkContainer } from './deep-check.js';

describe('chunkDeepCheck', () => {
  const schema = defineSchema({ pos: t.uint32(), name: t.string() });
  const registry = builtinCodecRegistry();
  const chunk = encodeChunk({ schema, batch: batchFromRows(schema, [{ pos: 1, name: 'a' }, { pos: 9, name: 'bb' }]), registry });

  it('accepts an intact chunk and ignores objects in other containers', () => {
    const check = chunkDeepCheck(registry);
    expect(isChunkContainer(chunk.bytes)).toBe(true);
    expect(() => check('chr1/c1.bin', chunk.bytes)).not.toThrow();
    const parquet = new TextEncoder().encode('PAR1....PAR1');
    expect(isChunkContainer(parquet)).toBe(false);
    expect(() => check('x.parquet', parquet)).not.toThrow();
  });

  it('names the object and stream whose CRC no longer matches', () => {
    const bad = chunk.bytes.slice();
    const [offset] = chunk.layout.streams.name!;
    bad[offset] ^= 0xff;
    expect(() => chunkDeepCheck(registry)('chr1/c1.bin', bad)).toThrow(CorruptDataError);
    expect(() => chunkDeepCheck(registry)('chr1/c1.bin', bad)).toThrow(/stream "name" CRC mismatch in chr1\/c1\.bin/);
  });
});
