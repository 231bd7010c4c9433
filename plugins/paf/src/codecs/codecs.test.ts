import { describe, expect, it } from 'vitest';
import { auxSplitCodec } from './aux-split.js';
import { qualModelCodec } from './qual-model.js';
import { qualRansCodec } from './qual-rans.js';

const ctx = { type: 'bytes' as const };
const round = (c: typeof qualModelCodec, data: Uint8Array): Uint8Array => c.decode(c.encode(data, ctx), ctx);

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
}

describe('paf codecs round-trip exactly', () => {
  it('qualcm: empty, one value, 4 levels, 40 levels, all 256 byte values', () => {
    const r = rng(1);
    const cases = [
      new Uint8Array(0), new Uint8Array(1000).fill(37),
      Uint8Array.from({ length: 50_000 }, () => [37, 25, 11, 2][r() < 0.9 ? 0 : Math.floor(r() * 4)]!),
      Uint8Array.from({ length: 20_000 }, () => Math.floor(r() * 40)),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + Math.floor(r() * 3)) & 0xff),
      new Uint8Array(300).fill(0xff),
    ];
    for (const d of cases) expect(round(qualModelCodec, d)).toEqual(d);
    const runs = cases[2]!;
    expect(qualModelCodec.encode(runs, ctx).length).toBeLessThan(runs.length / 4);
  });

  it('qualrans: every model (2-8, 9-64, more values), skewed and flat, smaller than qualcm on binned runs', () => {
    const r = rng(2);
    const pick = (levels: number[], skew: number) => () => levels[r() < skew ? 0 : Math.floor(r() * levels.length)]!;
    const cases = [
      new Uint8Array(0), new Uint8Array(1000).fill(37), Uint8Array.from([5, 9]), Uint8Array.from([9, 5, 5, 5, 9, 9, 0xff]),
      Uint8Array.from({ length: 60_000 }, pick([37, 25, 11, 2], 0.9)),
      Uint8Array.from({ length: 30_000 }, pick([40, 30, 20], 0.2)),
      Uint8Array.from({ length: 30_000 }, pick([1, 2, 3, 4, 5, 6, 7, 8], 0.5)),
      Uint8Array.from({ length: 30_000 }, pick(Array.from({ length: 41 }, (_, i) => i), 0.3)),
      Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7 + Math.floor(r() * 3)) & 0xff),
      Uint8Array.from({ length: 5000 }, () => Math.floor(r() * 256)),
      new Uint8Array(300).fill(0xff),
    ];
    for (const d of cases) expect(round(qualRansCodec, d)).toEqual(d);
    const runs = cases[4]!;
    expect(qualRansCodec.encode(runs, ctx).length).toBeLessThan(qualModelCodec.encode(runs, ctx).length * 1.02);
  });

  it('qualrans: a damaged stream is an error, not wrong values', () => {
    const r = rng(3);
    const d = Uint8Array.from({ length: 20_000 }, () => [37, 25, 11, 2][r() < 0.8 ? 0 : Math.floor(r() * 4)]!);
    const enc = qualRansCodec.encode(d, ctx);
    expect(() => qualRansCodec.decode(enc.subarray(0, enc.length - 3), ctx)).toThrow(/qualrans/);
    const flipped = enc.slice();
    flipped[flipped.length - 100]! ^= 0x55;
    expect(() => qualRansCodec.decode(flipped, ctx)).toThrow(/qualrans/);
  });

  it('auxsplit: mixed types, arrays, text, repeated and odd tags; unparsable bytes kept as they are', () => {
    const field = (tag: string, type: string, value: number[]): number[] => [tag.charCodeAt(0), tag.charCodeAt(1), type.charCodeAt(0), ...value];
    const text = (s: string): number[] => [...s].map((c) => c.charCodeAt(0)).concat(0);
    const recs: number[] = [];
    for (let i = 0; i < 500; i++) {
      recs.push(...field('NM', 'C', [i % 5]), ...field('AS', 'S', [i & 0xff, 1]), ...field('MC', 'Z', text(`${150 - (i % 3)}M`)));
      if (i % 7 === 0) recs.push(...field('XB', 'B', [0x73, 2, 0, 0, 0, 1, 0, 0xff, 0xff]), ...field('de', 'f', [1, 2, 3, 4]), ...field('NM', 'c', [0xff]));
      if (i % 11 === 0) recs.push(...field('ZH', 'H', text('1AE3')), ...field('dd', 'd', [1, 2, 3, 4, 5, 6, 7, 8]), ...field('ch', 'A', [65]));
    }
    const d = Uint8Array.from(recs);
    expect(round(auxSplitCodec, d)).toEqual(d);
    expect(round(auxSplitCodec, new Uint8Array(0))).toEqual(new Uint8Array(0));
    const bad = Uint8Array.from([...field('NM', 'C', [1]), 0x58, 0x58, 0x51, 1, 2]);
    expect(auxSplitCodec.encode(bad, ctx)[0]).toBe(0);
    expect(round(auxSplitCodec, bad)).toEqual(bad);
  });
});
