/**
 * One FORMAT key of a group of samples at one site -> one BYTE_ARRAY cell, and back. GT uses the
 * allele coding of gt.ts, Integer/Float the fixed-width numbers of numbers.ts; String, Character,
 * Flag and undeclared fields, and any row whose values do not fit those codings, are text:
 *
 *   0xFE, then the samples' values as VCF prints them, tab-separated, in Latin-1
 *   (`.` for a missing value; an empty string for a Flag that is set)
 *
 * so every row is lossless. Decoded cells follow the query engine's conventions (query/values.ts):
 * Number=1 Integer/Float as a number, GT and everything else as its VCF text, null when missing.
 */
import type { FieldDef } from '../../header/header.js';
import { formatValue } from '../../record/format.js';
import type { Value } from '../../record/record.js';
import type { ByteOut } from '../../io/byte-out.js';
import { decodeGt, encodeGt, END } from './gt.js';
import { encodeNumbers, NumberRow } from './numbers.js';

export const TEXT_ROW = 0xfe;

export type Coding = 'gt' | 'int' | 'float' | 'text';

export function codingOf(key: string, def: FieldDef): Coding {
  if (key === 'GT') return 'gt';
  if (def.type === 'Integer') return 'int';
  if (def.type === 'Float') return 'float';
  return 'text';
}

function textRow(values: readonly Value[], float: boolean): Uint8Array {
  const text = values.map((v) => (v === true ? '' : formatValue(v ?? null, float))).join('\t');
  const out = new Uint8Array(1 + Buffer.byteLength(text, 'latin1'));
  out[0] = TEXT_ROW;
  out.set(Buffer.from(text, 'latin1'), 1);
  return out;
}

export function encodeRow(values: readonly Value[], coding: Coding): Uint8Array {
  const fit = coding === 'gt' ? encodeGt(values) : coding === 'text' ? undefined : encodeNumbers(values, coding === 'float');
  return fit ?? textRow(values, coding === 'float');
}

/** A decoded row of `n` samples. */
export interface Cells {
  /** The value of sample `s` as the query engine reads it. */
  cell(s: number): unknown;
  /** The value of sample `s` as a record holds it. */
  value(s: number): Value;
  /** The value of sample `s` for API callers (VariantsHandle.marker): numbers as their shortest float32 decimals, a one-element vector as its number. */
  plain(s: number): unknown;
  /** plain() of samples [from, from + count) into out[at…] (one call for a marker's whole row). */
  plainInto(out: unknown[], at: number, from: number, count: number): void;
  /** False when the record has no value of the key in this group (a null cell). */
  readonly present: boolean;
  /** GT rows: the row's ploidy. */
  readonly ploidy: number;
  /** Writes sample `s`'s value as VCF text: what formatValue(value(s)) gives, without building it. */
  text(s: number, out: ByteOut): void;
  /** GT rows: calls `add(allele)` for each called allele of sample `s` (INFO/AC and AN of a sample subset). */
  alleles(s: number, add: (allele: number) => void): void;
}

/** Called alleles of a GT text (`0|1`, `./1`, `2`). */
function textAlleles(t: string | undefined, add: (allele: number) => void): void {
  if (!t) return;
  for (const a of t.split(/[|/]/)) if (a !== '' && a !== '.' && /^[0-9]+$/.test(a)) add(Number(a));
}

const DOT = 46;
function plainEach(this: Cells, out: unknown[], at: number, from: number, count: number): void {
  for (let i = 0; i < count; i++) out[at + i] = this.plain(from + i);
}

const NULL_CELLS: Cells = { cell: () => null, value: () => null, plain: () => null, plainInto: (out, at, _f, count) => { out.fill(null, at, at + count); }, present: false, ploidy: 2, text: (_s, out) => out.byte(DOT), alleles: () => undefined };

export function decodeRow(row: Uint8Array | null | undefined, n: number, coding: Coding, scalar: boolean): Cells {
  if (!row || row.length === 0) return NULL_CELLS;
  if (row[0] === TEXT_ROW) {
    const parts = Buffer.from(row.buffer, row.byteOffset + 1, row.length - 1).toString('latin1').split('\t');
    const value = (s: number): Value => {
      const t = parts[s];
      return t === undefined || t === '.' ? null : t === '' ? true : t;
    };
    return {
      value, plain: value, plainInto: plainEach, present: true, ploidy: 2,
      text: (s, out) => { const t = parts[s]; if (t === undefined) out.byte(DOT); else out.text(t); },
      alleles: (s, add) => textAlleles(parts[s], add),
      cell: (s) => {
        const v = value(s);
        if (v === true || v === null) return v;
        return scalar && (coding === 'int' || coding === 'float') && typeof v === 'string' && !v.includes(',') ? Number(v) : v;
      },
    };
  }
  if (coding === 'gt') {
    return {
      cell: (s) => decodeGt(row, s), value: (s) => decodeGt(row, s), plain: (s) => decodeGt(row, s), plainInto: plainEach, present: true, ploidy: row[0]!,
      text: (s, out) => { const t = decodeGt(row, s); if (t === null) out.byte(DOT); else out.text(t); },
      alleles: (s, add) => {
        const p = row[0]!, at = 1 + s * p;
        for (let k = 0; k < p; k++) {
          const b = row[at + k]!;
          if (b === END) break;
          if (b >> 1) add((b >> 1) - 1);
        }
      },
    };
  }
  const nums = new NumberRow(row, n);
  const float = coding === 'float';
  return {
    value: (s) => nums.get(s), plain: (s) => nums.plain(s), plainInto: (out, at, from, count) => nums.plainInto(out, at, from, count), present: true, ploidy: 2,
    text: (s, out) => nums.text(s, out, float),
    alleles: () => undefined,
    cell: (s) => {
      if (scalar && nums.v === 1) return nums.scalar(s);
      const v = nums.get(s);
      return v === null ? null : formatValue(v, float);
    },
  };
}
