import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { qualRansCodec, qualRansTextCodec } from './qual-rans.js';

const ctx = { type: 'bytes' as const };
const four = { type: 'bytes' as const, param: '4' };

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
}

/** n values from `levels`: the previous value again with probability `run`, else level 0 with `skew`, else any level. */
function quals(seed: number, n: number, levels: number[], skew: number, run: number): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(n);
  let prev = levels[0]!;
  for (let i = 0; i < n; i++) prev = out[i] = r() < run ? prev : r() < skew ? levels[0]! : levels[Math.floor(r() * levels.length)]!;
  return out;
}

function cases(): Uint8Array[] {
  // A 9th value near the end: the one-pass path for <= 8 values gives up, the general one codes it.
  const late9 = quals(5, 30000, [2, 12, 23, 37, 40, 41, 42, 43], 0.5, 0.6);
  late9[29990] = 7;
  // Rarer values first: the first cells are redone once the most common value is known.
  const rareFirst = quals(6, 40000, [37, 25, 11, 2], 0.85, 0.7);
  rareFirst.set([2, 2, 11]);
  return [
    new Uint8Array(0), Uint8Array.of(30), Uint8Array.of(30, 31), new Uint8Array(500).fill(0xff),
    quals(1, 300000, [37, 25, 11, 2], 0.9, 0.8),
    rareFirst,
    quals(2, 20000, [40, 30, 20], 0.3, 0.2),
    quals(3, 50000, [1, 2, 3, 4, 5, 6, 7, 8], 0.4, 0.5),
    late9,
    quals(4, 60000, Array.from({ length: 41 }, (_, i) => i + 2), 0.3, 0.3),
    quals(7, 20000, Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff), 0.1, 0.1),
  ];
}

/** sha256 prefixes of the streams the first qualrans encoder wrote for `cases()`: the format is fixed. */
const PINNED = [
  '96a296d224f285c6', 'a89bdc964f80d25d', 'd0f76a07e0369c21', '433a13255b8bdc46', '8eca4d2f10c816e3', 'f7a8cb0b1b5ec89a',
  '761c2ff8c54383bc', 'b366120842353c27', '25c3f5872e55def1', '1b24e2eb489b2b67', '95762c69009cf74f',
];

/** The same for qualrans:4, as its first encoder wrote them. */
const PINNED_FOUR = [
  '96a296d224f285c6', 'a89bdc964f80d25d', 'a360bb2abc72c6f7', '433a13255b8bdc46', 'a21b794b368e068b', '85110c162836a9dc',
  'e175c5ee31a5956f', '377e0d5f75f9da63', 'a52c15fab4d2d57d', 'e66c06cd8b596bd5', '21cb607cf5e966d9',
];

const digest = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex').slice(0, 16);

describe('qualrans encoder', () => {
  it('writes the same bytes as the first encoder, and they decode back', () => {
    const all = cases();
    expect(all.map((d) => digest(qualRansCodec.encode(d, ctx)))).toEqual(PINNED);
    for (const d of all) expect(qualRansCodec.decode(qualRansCodec.encode(d, ctx), ctx)).toEqual(d);
  });

  it('qualrans:4 round-trips every case and every length mod 4, and its bytes are fixed', () => {
    const all = cases();
    for (const d of all) expect(qualRansCodec.decode(qualRansCodec.encode(d, four), four)).toEqual(d);
    const base = all[4]!;
    for (let n = 0; n <= 9; n++) {
      const d = base.subarray(0, n);
      expect(qualRansCodec.decode(qualRansCodec.encode(d, four), four)).toEqual(d);
    }
    for (const n of [29997, 29998, 29999, 30000]) {
      const d = base.subarray(0, n);
      expect(qualRansCodec.decode(qualRansCodec.encode(d, four), four)).toEqual(d);
    }
    // Same model as one state: 12 more bytes of states, at most a few more of renormalisation.
    for (const d of all.slice(4)) {
      const extra = qualRansCodec.encode(d, four).length - qualRansCodec.encode(d, ctx).length;
      expect(extra).toBeGreaterThanOrEqual(9);
      expect(extra).toBeLessThanOrEqual(16);
    }
    expect(all.map((d) => digest(qualRansCodec.encode(d, four)))).toEqual(PINNED_FOUR);
  });

  it('qualrans:4: a damaged stream, or one read with the wrong number of states, is an error', () => {
    const d = cases()[4]!;
    const enc = qualRansCodec.encode(d, four);
    expect(() => qualRansCodec.decode(enc.subarray(0, enc.length - 3), four)).toThrow(/qualrans/);
    const flipped = enc.slice();
    flipped[flipped.length - 100]! ^= 0x55;
    expect(() => qualRansCodec.decode(flipped, four)).toThrow(/qualrans/);
    expect(() => qualRansCodec.decode(enc, ctx)).toThrow(/qualrans/);
    expect(() => qualRansCodec.decode(qualRansCodec.encode(d, ctx), four)).toThrow(/qualrans/);
    expect(() => qualRansCodec.validate!('bytes', '3')).toThrow(/no parameter .* or 4/);
  });
});

describe('qualrans decoding to SAM text', () => {
  it('gives every value plus 33 (a missing quality 0x20), for both state counts, and does not encode', () => {
    for (const c of [ctx, four]) {
      for (const d of cases()) {
        const text = qualRansTextCodec.decode(qualRansCodec.encode(d, c), c);
        expect(text).toEqual(Uint8Array.from(d, (v) => (v + 33) & 0xff));
      }
    }
    expect(qualRansTextCodec.decode(qualRansCodec.encode(new Uint8Array(500).fill(0xff), four), four)).toEqual(new Uint8Array(500).fill(0x20));
    // The decoder's tables are shared: a plain decode after a text one gives values again.
    const d = cases()[4]!;
    expect(qualRansCodec.decode(qualRansCodec.encode(d, four), four)).toEqual(d);
    expect(() => qualRansTextCodec.encode(d, four)).toThrow(/only decodes/);
  });
});
