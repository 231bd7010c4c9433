/**
 * Typed vectors -> record values, printing what `bcftools view` prints: a vector stops at its
 * first end-of-vector sentinel, a missing element is null ("."), characters stop at NUL with
 * 0x07 read as ".". A lone missing element (or a lone ".") is a missing value, as the VCF reader
 * gives for ".". Values whose BCF type disagrees with the header's Type are kept as their text,
 * so formatting them by the header's Type cannot change what is printed.
 */
import type { FieldDef } from '../header/header.js';
import { formatValue } from '../record/format.js';
import type { Value } from '../record/record.js';
import {
  CHAR, CHAR_MISSING, type Cursor, FLOAT, FLOAT_END, FLOAT_MISSING, INT16, INT16_END, INT16_MISSING,
  INT32_END, INT32_MISSING, INT8, INT8_END, INT8_MISSING, MISSING_TYPE,
} from './typed.js';

export function missingOf(type: number): number {
  return type === INT8 ? INT8_MISSING : type === INT16 ? INT16_MISSING : INT32_MISSING;
}

export function endOf(type: number): number {
  return type === INT8 ? INT8_END : type === INT16 ? INT16_END : INT32_END;
}

/** `n` elements of `type` at `at` (the cursor does not move), as htslib's bcf_fmt_array prints them. */
export function vector(c: Cursor, at: number, type: number, n: number): Value {
  if (n === 0 || type === MISSING_TYPE) return null;
  if (type === CHAR) {
    let s = c.chars(at, n);
    if (s.includes('\x07')) s = s.replaceAll(String.fromCharCode(CHAR_MISSING), '.');
    return s === '.' ? null : s;
  }
  const out: (number | null)[] = [];
  if (type === FLOAT) {
    const v = c.view;
    for (let i = 0, p = at; i < n; i++, p += 4) {
      const bits = v.getUint32(p, true);
      if (bits === FLOAT_END) break;
      out.push(bits === FLOAT_MISSING ? null : v.getFloat32(p, true));
    }
  } else {
    const end = endOf(type), missing = missingOf(type);
    const save = c.p;
    c.p = at;
    for (let i = 0; i < n; i++) {
      const x = c.int(type);
      if (x === end) break;
      out.push(x === missing ? null : x);
    }
    c.p = save;
  }
  return out.length === 1 && out[0] === null ? null : out;
}

/** A one-element INFO value: htslib prints it without looking for the end-of-vector sentinel. */
export function scalar(c: Cursor, at: number, type: number): Value {
  if (type === CHAR) {
    const ch = c.bytes[at]!;
    return ch === 0x2e ? null : String.fromCharCode(ch);
  }
  if (type === FLOAT) {
    const bits = c.view.getUint32(at, true);
    return bits === FLOAT_MISSING ? null : [c.view.getFloat32(at, true)];
  }
  const save = c.p;
  c.p = at;
  const x = c.int(type);
  c.p = save;
  return x === missingOf(type) ? null : [x];
}

/** Keeps `v` printing as htslib printed it when its BCF type disagrees with the header's Type. */
export function fit(v: Value, type: number, def: FieldDef): Value {
  if (!Array.isArray(v)) return v;
  if (type === FLOAT) return def.type === 'Float' ? v : formatValue(v, true);
  if (def.type === 'Float' && v.some((x) => x !== null && (x >= 1e6 || x <= -1e6))) return formatValue(v, false);
  return v;
}
