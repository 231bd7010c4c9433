import { describe, expect, it } from 'vitest';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { decompress } from 'zstd-napi';
import { CorruptDataError, InvalidArgumentError } from '../../errors.js';
import { deflateCodec, gzipCodec } from './zlib.js';
import { zstdCodec } from './zstd.js';

const text = new TextEncoder().encode('chr1\t12345\tACGTACGT\n'.repeat(5000));

describe('general-purpose compressors', () => {
  it('write standard streams that the reference decoders read', () => {
    expect(Buffer.from(inflateRawSync(deflateCodec.encode(text, { type: 'bytes', param: '6' }))).equals(text)).toBe(true);
    expect(Buffer.from(gunzipSync(gzipCodec.encode(text, { type: 'bytes' }))).equals(text)).toBe(true);
    expect(Buffer.from(decompress(zstdCodec.encode(text, { type: 'bytes', param: '3' }))).equals(text)).toBe(true);
    const z = zstdCodec.encode(text, { type: 'bytes' });
    expect([...z.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]); // zstd frame magic
  });

  it('compress harder at higher levels and store at deflate level 0', () => {
    const z1 = zstdCodec.encode(text, { type: 'bytes', param: '1' }).length;
    const z19 = zstdCodec.encode(text, { type: 'bytes', param: '19' }).length;
    expect(z19).toBeLessThanOrEqual(z1);
    expect(deflateCodec.encode(text, { type: 'bytes', param: '0' }).length).toBeGreaterThan(text.length);
    expect(zstdCodec.encode(text, { type: 'bytes' }).length).toBeLessThan(text.length / 20);
  });

  it('validate the level range', () => {
    expect(() => zstdCodec.validate!('bytes', '0')).toThrow(InvalidArgumentError);
    expect(() => zstdCodec.validate!('bytes', '23')).toThrow(InvalidArgumentError);
    expect(() => zstdCodec.validate!('bytes', 'fast')).toThrow(/zstd takes an integer parameter 1..22/);
    expect(() => deflateCodec.validate!('bytes', '10')).toThrow(InvalidArgumentError);
    expect(() => gzipCodec.validate!('bytes', '9')).not.toThrow();
  });

  it('report damaged streams as CorruptDataError', () => {
    for (const codec of [deflateCodec, gzipCodec, zstdCodec]) {
      const good = codec.encode(text, { type: 'bytes' });
      expect(() => codec.decode(good.subarray(0, good.length >> 1), { type: 'bytes' }), codec.id).toThrow(CorruptDataError);
      const flipped = good.slice();
      flipped[2]! ^= 0xff;
      flipped[3]! ^= 0xff;
      let result: Uint8Array | undefined;
      try {
        result = codec.decode(flipped, { type: 'bytes' });
      } catch (e) {
        expect(e, codec.id).toBeInstanceOf(CorruptDataError);
      }
      if (result) expect(Buffer.from(result).equals(text), codec.id).toBe(false);
    }
    expect(() => zstdCodec.decode(new Uint8Array(0), { type: 'bytes' })).toThrow(CorruptDataError);
  });

  it('refuse zstd headers that declare more output than zstd can produce', () => {
    const zeros = new Uint8Array(70_000);
    const frame = zstdCodec.encode(zeros, { type: 'bytes' });
    const fhd = frame[4]!;
    const fcsBytes = [fhd >> 5 & 1, 2, 4, 8][fhd >> 6]!;
    const fcsAt = 5 + ((fhd >> 5) & 1 ? 0 : 1) + [0, 1, 2, 4][fhd & 3]!;
    expect(fcsBytes).toBe(4);
    expect(new DataView(frame.buffer, frame.byteOffset).getUint32(fcsAt, true)).toBe(70_000);
    const bomb = frame.slice();
    new DataView(bomb.buffer).setUint32(fcsAt, 0xffffffff, true);
    expect(() => zstdCodec.decode(bomb, { type: 'bytes' })).toThrow(/declare 4294967295 bytes/);
    expect(zstdCodec.decode(frame, { type: 'bytes' })).toEqual(zeros);
  });

  it('round-trip 32 MiB', () => {
    const big = new Uint8Array(32 << 20);
    for (let i = 0; i < big.length; i++) big[i] = (i * 31) ^ (i >>> 9);
    for (const [codec, param] of [[zstdCodec, '1'], [deflateCodec, '1'], [gzipCodec, '1']] as const) {
      const out = codec.decode(codec.encode(big, { type: 'bytes', param }), { type: 'bytes', param });
      expect(Buffer.from(out.buffer, out.byteOffset, out.length).equals(big), codec.id).toBe(true);
    }
  });
});
