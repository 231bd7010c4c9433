import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { qualPackCodec, qualPackTextCodec } from './qual-pack.js';
import { qualRansCodec } from './qual-rans.js';

const ctx = { type: 'bytes' as const };

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
}

/** n values from `levels`, the first most often, with runs. */
function quals(seed: number, n: number, levels: number[]): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  let prev = levels[0]!;
  for (let i = 0; i < n; i++) prev = out[i] = r() < 0.7 ? prev : r() < 0.8 ? levels[0]! : levels[Math.floor(r() * levels.length)]!;
  return out;
}

function cases(): Uint8Array[] {
  const binned = [37, 25, 11, 2];
  return [
    new Uint8Array(0), Uint8Array.of(30), new Uint8Array(500).fill(0xff),
    ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => quals(n, n, binned)),
    quals(10, 30001, [40, 10]),
    quals(11, 30002, [37, 25, 11]),
    quals(12, 300003, binned),
    // A read without qualities (0xff) among binned ones: five values, the rANS path.
    (() => { const q = quals(13, 20000, binned); q.fill(0xff, 5000, 5150); return q; })(),
    quals(14, 60000, Array.from({ length: 41 }, (_, i) => i + 2)),
  ];
}

/** sha256 prefixes of what the first qualpack encoder wrote for `cases()`: the format is fixed. */
const PINNED = [
  '709e80c88487a241', '41b713cb827d6454', 'a81b0205beaace77', 'a2a5b7d70ea6d5f6', '0fa4249e0d68344a', 'c6d46f0625069606',
  '99dd61dcb8883952', 'f7f20a2168591ff5', 'aa7a91080bc7534a', 'b41f59044a9abdc8', '6e8f595c75ddeec6', '9a1ca1e83b75e6ad',
  'e40b24dd95edbe5f', '2e73c5aee6b67354', '6454bc216f408004', 'e9b37027bec1426a',
];
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);

const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

describe('qualpack', () => {
  it('round-trips every case, packs up to four values and hands more to qualrans:4, with fixed bytes', () => {
    const all = cases();
    for (const d of all) {
      const enc = qualPackCodec.encode(d, ctx);
      expect(same(qualPackCodec.decode(enc, ctx), d)).toBe(true);
      const levels = new Set(d).size;
      expect(enc[0], `${levels} values`).toBe(levels > 4 ? 1 : 0);
      if (levels > 4) expect(same(enc.subarray(1), qualRansCodec.encode(d, { type: 'bytes', param: '4' }))).toBe(true);
      // Two bits a value, plus a few bytes of header.
      else expect(enc.length).toBeLessThanOrEqual((levels > 1 ? Math.ceil(d.length / 4) : 0) + 12);
    }
    expect(all.map((d) => digest(qualPackCodec.encode(d, ctx)))).toEqual(PINNED);
  });

  it('decodes to SAM text (value + 33, a missing quality 0x20) on both paths, and the text variant does not encode', () => {
    for (const d of cases()) {
      expect(same(qualPackTextCodec.decode(qualPackCodec.encode(d, ctx), ctx), Uint8Array.from(d, (v) => (v + 33) & 0xff))).toBe(true);
    }
    expect(() => qualPackTextCodec.encode(cases()[5]!, ctx)).toThrow(/only decodes/);
  });

  it('a page of one value costs a few bytes however long (a multi-megabase read without qualities)', () => {
    const none = new Uint8Array(3_000_000).fill(0xff);
    const enc = qualPackCodec.encode(none, ctx);
    expect(enc.length).toBeLessThan(10);
    expect(same(qualPackCodec.decode(enc, ctx), none)).toBe(true);
    // qualrans (the earlier codec) reads such pages too.
    const rans = { type: 'bytes' as const, param: '4' };
    expect(same(qualRansCodec.decode(qualRansCodec.encode(none, rans), rans), none)).toBe(true);
  });

  it('damage is an error naming the codec', () => {
    const d = quals(21, 1001, [37, 25, 11]); // three values: code 3 is invalid
    const enc = qualPackCodec.encode(d, ctx);
    const at = enc.length - 200;
    const bad = (f: (b: Uint8Array) => void): Uint8Array => { const b = enc.slice(); f(b); return b; };
    expect(() => qualPackCodec.decode(new Uint8Array(0), ctx)).toThrow(/qualpack: empty stream/);
    expect(() => qualPackCodec.decode(bad((b) => (b[0] = 7)), ctx)).toThrow(/qualpack: unknown mode 7/);
    expect(() => qualPackCodec.decode(enc.subarray(0, enc.length - 1), ctx)).toThrow(/qualpack: \d+ packed bytes for 1001 qualities, expected 251/);
    expect(() => qualPackCodec.decode(bad((b) => (b[at] = 0xff)), ctx)).toThrow(/qualpack: a packed value outside the page's 3 values/);
    // 1001 values: the last byte holds one; its unused bits must be 0.
    expect(() => qualPackCodec.decode(bad((b) => (b[b.length - 1] = b[b.length - 1]! | 0x10)), ctx)).toThrow(/outside the page's 3 values/);
    expect(() => qualPackCodec.decode(bad((b) => (b[3] = 5)), ctx)).toThrow(/qualpack: 5 values for 1001 qualities/);
    expect(() => qualPackCodec.decode(Uint8Array.of(1, 5), ctx)).toThrow(/qualrans/);
    expect(() => qualPackCodec.validate!('bytes', '2')).toThrow(/no parameter/);
    expect(() => qualPackCodec.validate!('i32', undefined)).toThrow(/takes bytes/);
  });
});
