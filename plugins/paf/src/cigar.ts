/**
 * CIGAR operations (SAMv1 §1.4.6, §4.2): a BAM op is `length << 4 | code`, code indexing
 * "MIDNSHP=X". Reference-consuming ops (M D N = X) give an alignment's span on the reference.
 */
import { InputError } from '@genolake/core';

export const CIGAR_OPS = 'MIDNSHP=X';
/** Bit per op code: set when the op consumes the reference (M, D, N, =, X). */
const REF_CONSUMING = 0b110001101;
/** Bit per op code: set when the op consumes the query (M, I, S, =, X). */
const QUERY_CONSUMING = 0b110010011;

const CODE = new Int8Array(128).fill(-1);
for (let i = 0; i < CIGAR_OPS.length; i++) CODE[CIGAR_OPS.charCodeAt(i)] = i;

export function consumesReference(code: number): boolean {
  return ((REF_CONSUMING >>> code) & 1) === 1;
}

export function consumesQuery(code: number): boolean {
  return ((QUERY_CONSUMING >>> code) & 1) === 1;
}

/** Reference bases covered by `n` packed ops starting at byte `off` of `buf` (little-endian u32). */
export function referenceLength(buf: Uint8Array, off: number, n: number): number {
  let len = 0;
  for (let i = 0; i < n; i++, off += 4) {
    const v = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    if ((REF_CONSUMING >>> (v & 15)) & 1) len += v >>> 4;
  }
  return len;
}

/** Query bases consumed by packed ops (for the SEQ length check). */
export function queryLength(ops: ArrayLike<number>): number {
  let len = 0;
  for (let i = 0; i < ops.length; i++) {
    const v = ops[i]!;
    if ((QUERY_CONSUMING >>> (v & 15)) & 1) len += v >>> 4;
  }
  return len;
}

/** SAM text of packed ops; '*' when there are none. */
export function formatCigar(buf: Uint8Array, off: number, n: number): string {
  if (n === 0) return '*';
  let s = '';
  for (let i = 0; i < n; i++, off += 4) {
    const v = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    const code = v & 15;
    s += `${v >>> 4}${code < 9 ? CIGAR_OPS[code] : '?'}`;
  }
  return s;
}

/** Packed ops of a SAM CIGAR string ('*' is no ops). `where` names file and line for errors. */
export function parseCigar(text: string, where: string): number[] {
  const ops: number[] = [];
  if (text === '*') return ops;
  let len = 0;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      len = len * 10 + (c - 48);
      digits++;
      continue;
    }
    const code = c < 128 ? CODE[c]! : -1;
    if (code < 0 || digits === 0 || len >= 2 ** 28) throw new InputError(`${where}: bad CIGAR "${text}"`);
    ops.push(len * 16 + code);
    len = 0;
    digits = 0;
  }
  if (digits !== 0) throw new InputError(`${where}: bad CIGAR "${text}" (ends in a number)`);
  return ops;
}
