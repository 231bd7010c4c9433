/**
 * One stored value -> the elements the language compares. A value arrives as Parquet gave it:
 * a number (INT32/FLOAT), a bigint (INT64), a boolean (Flag), a string (VCF text of vectors,
 * strings, ALT, FILTER, GT) or null (missing). Floats are compared at float32 precision, as
 * htslib holds them, so `INFO/AF == 0.2` matches the stored 0.2f.
 */
import type { FieldRef } from './fields.js';

export type Element = number | string | null;

/** The elements of `v` for `field`, with its `[index]` applied; [] when missing. */
export type Elements = (v: unknown) => readonly Element[];

const NONE: readonly Element[] = [];

function splitNumbers(text: string, float: boolean): Element[] {
  return text.split(',').map((s) => {
    if (s === '.' || s === '') return null;
    const n = Number(s);
    return Number.isNaN(n) ? null : float ? Math.fround(n) : n;
  });
}

export function elementsOf(field: FieldRef): Elements {
  const float = field.type === 'float';
  const cache = new Map<string, readonly Element[]>();
  const parse = (s: string): readonly Element[] => {
    if (field.type === 'int' || field.type === 'float') return splitNumbers(s, float);
    if (field.column === 'ALT') return s.split(',');
    if (field.type === 'filter') return s.split(';');
    return [s];
  };
  const all = (v: unknown): readonly Element[] => {
    if (v === null || v === undefined) return NONE;
    if (typeof v === 'number') return [float ? Math.fround(v) : v];
    if (typeof v === 'bigint') return [Number(v)];
    if (typeof v === 'boolean') return v ? [1] : NONE;
    const s = String(v);
    let got = cache.get(s);
    if (!got) {
      got = parse(s);
      if (cache.size < 65536) cache.set(s, got);
    }
    return got;
  };
  const index = field.index;
  if (index === undefined) return all;
  return (v) => {
    const e = all(v);
    return index < e.length ? [e[index]!] : NONE;
  };
}
