import { describe, expect, it } from 'vitest';
import { formatValue } from '../../record/format.js';
import type { Value } from '../../record/record.js';
import { shortestFloat32 } from '../../query/output/float32.js';
import { decodeRow, encodeRow, TEXT_ROW, type Coding } from './matrix.js';
import { rowRange } from './numbers.js';

/** What VariantsHandle.marker returns for a record value (the definition plain() must agree with). */
function apiValue(v: Value): unknown {
  if (!Array.isArray(v)) return v;
  if (v.length === 1) return v[0] === null || v[0] === undefined ? null : shortestFloat32(v[0]);
  return v.map((x) => (x === null || x === undefined ? null : shortestFloat32(x)));
}

/** Encode then decode; each sample's value must print as before (VCF text is the contract). */
function roundTrip(values: Value[], coding: Coding): Uint8Array {
  const row = encodeRow(values, coding);
  const cells = decodeRow(row, values.length, coding, false);
  const float = coding === 'float';
  values.forEach((v, s) => expect(formatValue(cells.value(s), float), `sample ${s} of ${JSON.stringify(values)}`).toBe(formatValue(v, float)));
  // API values, one at a time and as a run (from sample 1, written from out[2])
  const run: unknown[] = [];
  cells.plainInto(run, 2, 1, values.length - 1);
  values.forEach((_, s) => {
    const want = apiValue(cells.value(s));
    expect(cells.plain(s), `plain(${s}) of ${JSON.stringify(values)}`).toEqual(want);
    if (s > 0) expect(run[s + 1], `plainInto ${s} of ${JSON.stringify(values)}`).toEqual(want);
  });
  return row;
}

describe('sample matrices', () => {
  it('GT: diploid, haploid, phased, missing, absent', () => {
    const row = roundTrip(['0|1', '1/1', '.', './.', null, '2', '0|.', '.|0', '3/2/1'], 'gt');
    expect(row[0]).toBe(3);
    expect(roundTrip(['0|0', '0|1'], 'gt')).toEqual(new Uint8Array([2, 0x02, 0x03, 0x02, 0x05]));
  });
  it('GT: alleles above 125 and ploidy above 8 fall back to text', () => {
    expect(roundTrip(['0/126', '1/1'], 'gt')[0]).toBe(TEXT_ROW);
    expect(roundTrip(['0/0/0/0/0/0/0/0/1', '0'], 'gt')[0]).toBe(TEXT_ROW);
  });
  it('integers: widths by range, missing and vector ends', () => {
    expect(roundTrip([[1], [null], null, [127]], 'int')[0]).toBe(1);
    expect(roundTrip([[-126], [300]], 'int')[0]).toBe(2);
    expect(roundTrip([[-2147483640], [2147483647], null], 'int')[0]).toBe(4);
    expect(roundTrip([[1, 2, 3], [4], null, [null, 5], [null, null]], 'int')[1]).toBe(3);
    expect(roundTrip([null, null], 'int')).toEqual(new Uint8Array([0]));
  });
  it('floats: decimal scaling when exact, raw float32 otherwise (NaN, inf, -0, 1/3)', () => {
    const f = Math.fround;
    expect(roundTrip([[f(1.093)], [0], [f(2)], null], 'float')[0]).toBe(2 | (4 << 4));
    for (const odd of [NaN, Infinity, -Infinity, -0, f(1 / 3), f(1e-30), f(3.4e38)]) expect(roundTrip([[odd], [f(0.5)], [null]], 'float')[0]).toBe(0x84);
    roundTrip([[f(0.1), f(0.25)], [f(-7.5)], null], 'float');
  });
  it('seeded random integer vectors round-trip', () => {
    let seed = 3;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let t = 0; t < 200; t++) {
      const scale = [100, 30000, 2e9][rnd(3)]!;
      const values: Value[] = Array.from({ length: 1 + rnd(20) }, () => (rnd(8) === 0 ? null : Array.from({ length: 1 + rnd(3) }, () => (rnd(6) === 0 ? null : rnd(scale) - Math.floor(scale / 2)))));
      roundTrip(values, 'int');
    }
  });
  it('seeded random decimal floats (dosages, large magnitudes, vectors) round-trip', () => {
    let seed = 11;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    for (let t = 0; t < 300; t++) {
      const e = rnd(7), big = [3, 40, 70000, 5e6][rnd(4)]!, v = 1 + rnd(2);
      const x = (): number | null => (rnd(9) === 0 ? null : Math.fround(Math.round((rnd(2) ? 1 : -1) * rnd(big * 10 ** e)) / 10 ** e));
      roundTrip(Array.from({ length: 1 + rnd(30) }, () => (rnd(10) === 0 ? null : Array.from({ length: v }, x))), 'float');
    }
  });
  it('rowRange: the min and max of what a scalar row decodes to; null without values; undefined when unknown', () => {
    const f = Math.fround;
    const cases: [Value[], Coding][] = [
      [[[3], [null], null, [-7], [120]], 'int'], [[[300], [-2]], 'int'], [[[2147483647], [-2147483640]], 'int'],
      [[[f(1.093)], [0], null, [f(2)]], 'float'], [[[f(1 / 3)], [f(-0.5)], [NaN]], 'float'], [[[f(0.25)], [-0]], 'float'],
    ];
    for (const [values, coding] of cases) {
      const row = encodeRow(values, coding);
      const cells = decodeRow(row, values.length, coding, true);
      const xs = values.map((_, s) => cells.value(s)).flatMap((v) => (Array.isArray(v) ? v : [])).filter((x): x is number => typeof x === 'number' && !Number.isNaN(x));
      expect(rowRange(row, values.length), JSON.stringify(values)).toEqual({ min: Math.min(...xs), max: Math.max(...xs) });
    }
    expect(rowRange(encodeRow([null, [null]], 'int'), 2)).toBeNull();
    expect(rowRange(null, 3)).toBeNull();
    expect(rowRange(encodeRow([[1, 2], [3]], 'int'), 2)).toBeUndefined(); // vectors
    expect(rowRange(encodeRow([[NaN], [NaN]], 'float'), 2)).toBeUndefined();
    const text = encodeRow([[1], [2]], 'text');
    expect(text[0]).toBe(TEXT_ROW);
    expect(rowRange(text, 2)).toBeUndefined();
  });
  it('text: strings, flags and missing values', () => {
    expect(roundTrip(['abc', null, true, 'x,y'], 'text')[0]).toBe(TEXT_ROW);
  });
});
