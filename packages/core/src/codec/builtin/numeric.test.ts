import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CorruptDataError, InvalidArgumentError } from '../../errors.js';
import type { ElementType } from '../types.js';
import { deltaCodec } from './delta.js';
import { transposeCodec } from './transpose.js';
import { varintCodec } from './varint.js';
import { zigzagCodec } from './zigzag.js';

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
const u64 = (...xs: bigint[]) => bytesOf(new BigUint64Array(xs));
const i64 = (...xs: bigint[]) => bytesOf(new BigInt64Array(xs));

describe('delta', () => {
  it('stores differences and wraps in the element width', () => {
    expect(deltaCodec.encode(bytesOf(new Uint32Array([10, 12, 12, 5])), { type: 'u32' })).toEqual(bytesOf(new Uint32Array([10, 2, 0, 0xfffffff9])));
    expect(deltaCodec.encode(new Uint8Array([200, 10]), { type: 'u8' })).toEqual(new Uint8Array([200, 66]));
    expect(deltaCodec.encode(bytesOf(new Int16Array([-5, 32767, -32768])), { type: 'i16' })).toEqual(bytesOf(new Int16Array([-5, -32764, 1])));
  });

  it('borrows and carries across the 32-bit words of 64-bit elements', () => {
    const data = u64(0x1_0000_0000n, 0xffff_ffffn, 0xffff_ffff_ffff_ffffn, 0n);
    const enc = deltaCodec.encode(data, { type: 'u64' });
    expect(enc).toEqual(u64(0x1_0000_0000n, 0xffff_ffff_ffff_ffffn, 0xffff_ffff_0000_0000n, 1n));
    expect(deltaCodec.decode(enc, { type: 'u64' })).toEqual(data);
  });

  it('matches BigInt arithmetic on random i64 data', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 50 }), (xs) => {
        const enc = new BigInt64Array(deltaCodec.encode(i64(...xs), { type: 'i64' }).buffer);
        xs.forEach((x, i) => expect(enc[i]).toBe(BigInt.asIntN(64, x - (i === 0 ? 0n : xs[i - 1]!))));
      }),
    );
  });

  it('refuses non-integer types and ragged input', () => {
    expect(() => deltaCodec.validate!('f64')).toThrow(InvalidArgumentError);
    expect(() => deltaCodec.encode(new Uint8Array(3), { type: 'u16' })).toThrow(InvalidArgumentError);
    expect(() => deltaCodec.decode(new Uint8Array(3), { type: 'u16' })).toThrow(CorruptDataError);
  });
});

describe('zigzag', () => {
  it('maps small magnitudes to small unsigned values', () => {
    expect(zigzagCodec.encode(bytesOf(new Int32Array([0, -1, 1, -2, 2147483647, -2147483648])), { type: 'i32' }))
      .toEqual(bytesOf(new Uint32Array([0, 1, 2, 3, 0xfffffffe, 0xffffffff])));
    expect(zigzagCodec.encode(bytesOf(new Int8Array([-128, 127])), { type: 'i8' })).toEqual(new Uint8Array([255, 254]));
    expect(zigzagCodec.encode(i64(-1n, 1n, -(2n ** 63n), 2n ** 63n - 1n), { type: 'i64' }))
      .toEqual(u64(1n, 2n, 2n ** 64n - 1n, 2n ** 64n - 2n));
    expect(zigzagCodec.outputType!('i16')).toBe('u16');
    expect(zigzagCodec.outputType!('u64')).toBe('u64');
  });

  it('matches the BigInt formula on random i64 data and round-trips', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 50 }), (xs) => {
        const enc = zigzagCodec.encode(i64(...xs), { type: 'i64' });
        const got = new BigUint64Array(enc.buffer);
        xs.forEach((x, i) => expect(got[i]).toBe(x >= 0n ? 2n * x : -2n * x - 1n));
        expect(zigzagCodec.decode(enc, { type: 'i64' })).toEqual(i64(...xs));
      }),
    );
  });
});

describe('varint', () => {
  it('writes LEB128', () => {
    expect(varintCodec.encode(bytesOf(new Uint32Array([0, 1, 127, 128, 300, 0xffffffff])), { type: 'u32' }))
      .toEqual(new Uint8Array([0, 1, 127, 0x80, 1, 0xac, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]));
    expect(varintCodec.encode(u64(2n ** 64n - 1n, 2n ** 35n), { type: 'u64' }))
      .toEqual(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]));
  });

  it('round-trips random u64 values of every bit length', () => {
    const val = fc.integer({ min: 0, max: 64 }).chain((bits) => fc.bigInt({ min: 0n, max: bits === 0 ? 0n : 2n ** BigInt(bits) - 1n }));
    fc.assert(
      fc.property(fc.array(val, { maxLength: 40 }), (xs) => {
        const data = u64(...xs);
        const enc = varintCodec.encode(data, { type: 'u64' });
        expect(enc.length).toBe(xs.reduce((s, x) => s + Math.max(1, Math.ceil(x.toString(2).length / 7)), 0));
        expect(varintCodec.decode(enc, { type: 'u64' })).toEqual(data);
      }),
    );
  });

  it('rejects truncated, over-long and out-of-range values as CorruptDataError', () => {
    expect(() => varintCodec.decode(new Uint8Array([1, 0x80]), { type: 'u32' })).toThrow(CorruptDataError);
    expect(() => varintCodec.decode(new Uint8Array([0x80, 0x02]), { type: 'u8' })).toThrow(/byte 0 does not fit in u8/);
    expect(() => varintCodec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x1f]), { type: 'u32' })).toThrow(CorruptDataError);
    expect(() => varintCodec.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]), { type: 'u64' })).toThrow(CorruptDataError);
    expect(() => varintCodec.decode(new Uint8Array(11).fill(0x80).fill(0, 10), { type: 'u64' })).toThrow(CorruptDataError);
  });

  it('refuses signed and float input, hinting at zigzag', () => {
    expect(() => varintCodec.validate!('i32')).toThrow(/zigzag/);
    expect(() => varintCodec.validate!('f32')).toThrow(InvalidArgumentError);
  });
});

describe('transpose', () => {
  it('groups bytes into planes', () => {
    const data = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(transposeCodec.encode(data, { type: 'u32' })).toEqual(new Uint8Array([1, 5, 2, 6, 3, 7, 4, 8]));
    expect(transposeCodec.encode(data, { type: 'u16' })).toEqual(new Uint8Array([1, 3, 5, 7, 2, 4, 6, 8]));
    expect(transposeCodec.encode(data, { type: 'bytes' })).toEqual(data);
  });
});

describe('numeric codecs on large inputs', () => {
  const n = 16 << 20;
  const big = new Uint8Array(n);
  for (let i = 0; i < n; i += 4) new DataView(big.buffer).setUint32(i, (i * 2654435761) >>> (i & 31), true);

  for (const [name, codec, type] of [
    ['delta u64', deltaCodec, 'u64'],
    ['zigzag i32', zigzagCodec, 'i32'],
    ['varint u32', varintCodec, 'u32'],
    ['varint u64', varintCodec, 'u64'],
    ['transpose f64', transposeCodec, 'f64'],
  ] as const) {
    it(`round-trips 16 MiB (${name})`, () => {
      const t: ElementType = type;
      const dec = codec.decode(codec.encode(big, { type: t }), { type: t });
      expect(Buffer.from(dec.buffer, dec.byteOffset, dec.length).equals(big)).toBe(true);
    });
  }
});
