import { compress, decompress } from 'zstd-napi';
import { describe, expect, it } from 'vitest';
import { CorruptDataError } from '../../errors.js';
import { zstdCodec } from './zstd.js';

/** Mixed text and numbers, so levels really differ in output. */
function sample(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = i % 7 < 4 ? 'ACGT'.charCodeAt(s >>> 30) : s >>> 24;
  }
  return out;
}

describe('zstd codec with reused contexts', () => {
  it('writes the same frames as zstd-napi one-shot compress, level after level', () => {
    // Interleaved levels and sizes: a reused context must not carry a level or history over.
    for (const size of [0, 1, 1024, 65536, 300_000]) {
      // High levels on small inputs only: level 22 on 300 KB takes seconds.
      for (const level of size > 2048 ? [3, 1, 9, 3, 1] : [3, 1, 19, 3, 22, 1]) {
        const data = sample(size, size + level);
        const ours = zstdCodec.encode(data, { type: 'bytes', param: String(level) });
        expect(Buffer.from(ours).equals(compress(data, { compressionLevel: level })), `${size} bytes at level ${level}`).toBe(true);
        expect([...ours.subarray(0, 4)]).toEqual([0x28, 0xb5, 0x2f, 0xfd]);
        expect(Buffer.from(decompress(ours)).equals(data)).toBe(true);
        expect(Buffer.from(zstdCodec.decode(ours, { type: 'bytes' })).equals(data)).toBe(true);
      }
    }
  });

  it('returns results that later calls do not overwrite', () => {
    const a = sample(1000, 1);
    const b = sample(1000, 2);
    const za = zstdCodec.encode(a, { type: 'bytes' });
    const copy = za.slice();
    const zb = zstdCodec.encode(b, { type: 'bytes' });
    expect(za).toEqual(copy);
    const da = zstdCodec.decode(za, { type: 'bytes' });
    zstdCodec.decode(zb, { type: 'bytes' });
    expect(da).toEqual(a);
  });

  it('decodes concatenated frames and refuses a damaged one', () => {
    const a = sample(5000, 3);
    const b = sample(70_000, 4);
    const both = Buffer.concat([zstdCodec.encode(a, { type: 'bytes' }), zstdCodec.encode(b, { type: 'bytes', param: '9' })]);
    expect(Buffer.from(zstdCodec.decode(both, { type: 'bytes' })).equals(Buffer.concat([a, b]))).toBe(true);
    const bad = zstdCodec.encode(b, { type: 'bytes' }).slice();
    bad[bad.length >> 1]! ^= 0xff;
    bad.fill(0xee, 20, 60);
    expect(() => zstdCodec.decode(bad, { type: 'bytes' })).toThrow(CorruptDataError);
  });

  it('refuses a frame whose recorded content size is not what it holds, or more than zstd can make', () => {
    const data = sample(3000, 5);
    const frame = zstdCodec.encode(data, { type: 'bytes' }).slice();
    // Frame header: magic, descriptor (single segment, 2-byte size field: value - 256), size.
    expect(frame[4]! & 0xe0).toBe(0x60);
    expect(frame[5]! | (frame[6]! << 8)).toBe(3000 - 256);
    const longer = frame.slice();
    longer[5] = (3001 - 256) & 0xff;
    expect(() => zstdCodec.decode(longer, { type: 'bytes' })).toThrow(CorruptDataError);
    const huge = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0, 0, 0, 0, 0, 0, 0x10, 0, 1, 0, 0]);
    expect(() => zstdCodec.decode(huge, { type: 'bytes' })).toThrow(/more than zstd can produce/);
  });
});
