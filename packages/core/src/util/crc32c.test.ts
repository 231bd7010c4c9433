import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c } from './crc32c.js';

/** Bit-at-a-time reference, straight from the polynomial definition. */
function crcReference(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  }
  return ~c >>> 0;
}

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32c', () => {
  it('matches the published check values', () => {
    expect(crc32c(ascii('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 (iSCSI) appendix B.4 vectors.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    const inc = new Uint8Array(32);
    for (let i = 0; i < 32; i++) inc[i] = i;
    expect(crc32c(inc)).toBe(0x46dd794e);
    const dec = new Uint8Array(32);
    for (let i = 0; i < 32; i++) dec[i] = 31 - i;
    expect(crc32c(dec)).toBe(0x113fdb5c);
  });

  it('agrees with a bitwise reference on random data of every length and alignment', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        expect(crc32c(view)).toBe(crcReference(view));
      }),
      { numRuns: 300 },
    );
  });

  it('continues a running CRC across any split', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cut) => {
        const at = bytes.length === 0 ? 0 : cut % (bytes.length + 1);
        expect(crc32c(bytes.subarray(at), crc32c(bytes.subarray(0, at)))).toBe(crc32c(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('returns an unsigned 32-bit value', () => {
    const v = crc32c(ascii('123456789'));
    expect(v).toBeGreaterThan(0x7fffffff);
    expect(Number.isInteger(v)).toBe(true);
  });

  it('checksums 64 MiB (and reports throughput)', () => {
    const big = new Uint8Array(64 << 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = i >>> 12;
    crc32c(big.subarray(0, 1 << 20)); // warm up the JIT
    const t0 = performance.now();
    const v = crc32c(big);
    const ms = performance.now() - t0;
    // Split continuation must agree at this size too.
    expect(crc32c(big.subarray(33 << 20), crc32c(big.subarray(0, 33 << 20)))).toBe(v);
    console.log(`crc32c: 64 MiB in ${ms.toFixed(0)} ms = ${(64 / (ms / 1000)).toFixed(0)} MB/s`);
  });
});
